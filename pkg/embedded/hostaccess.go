package embedded

import "strings"

// hostReaching lists every name, in lower case, that a statement can call
// or name as an engine to reach outside the database: the host's files,
// the network, other programs. Each comes with the source a real server's
// READ grant names for it (ClickHouse's SOURCES: FILE, URL, REMOTE, S3,
// AZURE, HDFS, HIVE, MYSQL, POSTGRES, SQLITE, MONGO, REDIS, ODBC, JDBC,
// KAFKA, NATS, RABBITMQ). A server whose users lack the grant answers 497
// ACCESS_DENIED, so clickpy-local answers that too.
//
// Decided name by name from chDB 26.7's system.table_functions (90),
// system.table_engines (80), system.database_engines (14), its functions,
// dictionary sources and backup destinations. Left out because they stay
// inside the database: numbers, numbers_mt, zeros, zeros_mt, primes,
// generateRandom, generateSeries, generate_series, values, SQLStandardValues,
// view, viewIfPermitted, viewExplain, merge, loop, null, input, format,
// dictionary, mergeTreeIndex, mergeTreeProjection, mergeTreeTextIndex,
// mergeTreeAnalyzeIndexes(UUID), timeSeries*, prometheusQuery(Range),
// fuzzJSON, fuzzQuery, arrowstream (chDB's in-process Arrow streams), and
// the MergeTree, Log, Memory, Set, Join, Buffer, Dictionary, View,
// MaterializedView, WindowView, Alias, TimeSeries, GenerateRandom, FuzzJSON,
// FuzzQuery, Loop, Null and Merge engines.
const hostReaching = `
file FILE
filecluster FILE
filesystem FILE
executable FILE
executablepool FILE
executable_pool FILE
filelog FILE
embeddedrocksdb FILE
library FILE
yamlregexptree FILE
catboostevaluate FILE
disk FILE
backup FILE
deltalakelocal FILE
iceberglocal FILE
iceberglocalcluster FILE
paimonlocal FILE
url URL
urlcluster URL
http URL
ytsaurus URL
datalakecatalog URL
remote REMOTE
remotesecure REMOTE
cluster REMOTE
clusterallreplicas REMOTE
distributed REMOTE
keepermap REMOTE
replicated REMOTE
cassandra REMOTE
s3 S3
s3cluster S3
s3queue S3
gcs S3
oss S3
cosn S3
iceberg S3
icebergcluster S3
icebergs3 S3
icebergs3cluster S3
deltalake S3
deltalakecluster S3
deltalakes3 S3
deltalakes3cluster S3
hudi S3
hudicluster S3
paimon S3
paimoncluster S3
paimons3 S3
paimons3cluster S3
azureblobstorage AZURE
azureblobstoragecluster AZURE
azurequeue AZURE
icebergazure AZURE
icebergazurecluster AZURE
deltalakeazure AZURE
deltalakeazurecluster AZURE
paimonazure AZURE
paimonazurecluster AZURE
hdfs HDFS
hdfscluster HDFS
iceberghdfs HDFS
iceberghdfscluster HDFS
paimonhdfs HDFS
paimonhdfscluster HDFS
hive HIVE
mysql MYSQL
postgresql POSTGRES
materializedpostgresql POSTGRES
sqlite SQLITE
mongodb MONGO
redis REDIS
odbc ODBC
jdbc JDBC
kafka KAFKA
nats NATS
rabbitmq RABBITMQ
`

// runsBuiltSQL names what executes SQL text computed while the query runs
// (eval's argument, the rows inserted into a QueryRunner table): no check
// of the statement can see that SQL, so it may run only where no check is
// owed at all.
const runsBuiltSQL = " eval queryrunner "

// hostSettings name the settings whose value is a host path or address:
// schema and template files read by formats, files written with errors or
// generated schemas, a schema registry reached over HTTP, a table read
// for queries without FROM.
const hostSettings = " format_schema output_format_schema format_template_resultset format_template_row" +
	" input_format_record_errors_file_path format_avro_schema_registry_url implicit_table_at_top_level "

// valuesExpressionSettings let the Values format evaluate SQL expressions
// found in data, where no statement check sees them: measured on chDB
// 26.7, INSERT ... VALUES (file('/etc/hostname')) and format(Values, ...)
// read host files that way. Without host access every session runs with
// both off (literals still parse) and no request may turn them on.
const valuesExpressionSettings = " input_format_values_interpret_expressions input_format_values_deduce_templates_of_expressions "

// remoteSourceWords, inside a CLICKHOUSE(...) dictionary source, make it
// reach another server; without them it reads the local one.
const remoteSourceWords = " host port secure "

// sourceSQLWords, inside a CLICKHOUSE(...) dictionary source, are followed
// by SQL in a string literal that the dictionary runs when it loads: a
// statement, or for WHERE an expression.
const sourceSQLWords = " query invalidate_query where "

// hostSources is hostReaching as a map from name to grant source.
func hostSources() map[string]string {
	f := strings.Fields(hostReaching)
	m := make(map[string]string, len(f)/2)
	for i := 0; i+1 < len(f); i += 2 {
		m[strings.ToLower(f[i])] = f[i+1]
	}
	return m
}

func hostAccessDenied(name, source string) *Exception {
	return NewException(CodeAccessDenied,
		"Not enough privileges. To execute this query, it's necessary to have the grant READ ON %s: %s reaches the host's files, "+
			"the network or its programs, which this server allows only to users given host access", source, name)
}

func builtSQLDenied(name string) *Exception {
	return NewException(CodeAccessDenied,
		"Not enough privileges: %s runs SQL built while the query runs, which this server cannot check; it is allowed only "+
			"to users given host access, without readonly or constant settings", name)
}

func valuesExpressionsDenied(name string) *Exception {
	return NewException(CodeAccessDenied,
		"Not enough privileges to set %s: it lets Values data run SQL expressions this server cannot check, "+
			"which it allows only to users given host access", name)
}

func hostSettingDenied(name string) *Exception {
	return NewException(CodeAccessDenied,
		"Not enough privileges to set %s: its value names a host file or address, which this server allows only to users given host access", name)
}
