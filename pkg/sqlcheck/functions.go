package sqlcheck

import (
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// outside lists the functions, table functions and scalar ones alike,
// that read or write outside the server's own tables: host files, other
// servers and databases, object stores, programs, or SQL text of their
// own (eval), from ClickHouse 26.7's system.table_functions and
// system.functions. A server confines some of them (file to
// user_files_path), clickhouse-local and chDB confine none; the data
// source refuses them all.
const outside = " arrowstream azureblobstorage azureblobstoragecluster catboostevaluate cosn eval " +
	"executable file filecluster filesystem fuzzjson fuzzquery gcs hdfs hdfscluster input jdbc " +
	"mongodb mysql odbc oss postgresql prometheusquery prometheusqueryrange redis remote " +
	"remotesecure s3 s3cluster sqlite url urlcluster ytsaurus "

// outsidePrefixes cover the data-lake families, whose members grow with
// every release (deltaLakeS3Cluster, icebergLocal, paimonAzure, ...).
const outsidePrefixes = "deltalake iceberg paimon hudi datalake objectstorage"

// tableFunctions are the table functions that stay within the server: a
// call in a table position (after FROM or JOIN) must be one of them, so a
// table function newer than this list is refused until judged.
const tableFunctions = " numbers numbers_mt zeros zeros_mt generateseries generate_series values view " +
	"viewifpermitted viewexplain merge cluster clusterallreplicas null primes generaterandom " +
	"format sqlstandardvalues dictionary loop mergetreeindex mergetreeprojection " +
	"mergetreeanalyzeindexes mergetreeanalyzeindexesuuid mergetreetextindex timeseriesdata " +
	"timeseriesmetrics timeseriessamples timeseriesselector timeseriestags "

// fromInside are the functions whose arguments use FROM without naming a
// table: extract(YEAR FROM d), trim(BOTH ' ' FROM s), substring(s FROM 2).
const fromInside = " extract trim substring substr overlay "

func isOutside(name string) bool {
	n := strings.ToLower(name)
	if listed(outside, n) {
		return true
	}
	for _, p := range strings.Fields(outsidePrefixes) {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// name is a token's identifier, without the quotes of "f" or `f`.
func name(t sqllex.Token) string {
	if t.Kind != sqllex.TokQuotedIdent || len(t.Text) < 2 {
		return t.Text
	}
	q := t.Text[:1]
	inner := t.Text[1 : len(t.Text)-1]
	return strings.ReplaceAll(strings.ReplaceAll(inner, q+q, q), `\`+q, q)
}

// functions refuses every call of an outside function, and calls in table
// positions that are not known table functions.
func functions(sql string, toks []sqllex.Token) error {
	// calls holds, per open bracket, the function it belongs to ("" for
	// other brackets).
	var calls []string
	for i, t := range toks {
		if t.Kind == sqllex.TokPunct {
			switch t.Nesting() {
			case 1:
				fn := ""
				if t.Text == "(" && i > 0 && (toks[i-1].Kind == sqllex.TokWord || toks[i-1].Kind == sqllex.TokQuotedIdent) {
					fn = strings.ToLower(name(toks[i-1]))
				}
				calls = append(calls, fn)
			case -1:
				if len(calls) > 0 {
					calls = calls[:len(calls)-1]
				}
			}
			continue
		}
		if !isCall(toks, i) {
			continue
		}
		fn := name(t)
		if isOutside(fn) {
			return refuse("the function %s reads or writes outside the database (host files, other servers, object stores or programs), which the data source does not allow",
				querymodel.Quote(fn))
		}
		if tablePosition(toks, i, calls) && !listed(tableFunctions, strings.ToLower(fn)) {
			return refuse("the table function %s is not one the data source allows; use the database's tables or numbers, zeros, generateSeries, values, view, merge, cluster",
				querymodel.Quote(fn))
		}
	}
	return nil
}

// isCall tells whether toks[i] is a name called with parentheses, and not
// a qualified one (db.f( is no function).
func isCall(toks []sqllex.Token, i int) bool {
	if toks[i].Kind != sqllex.TokWord && toks[i].Kind != sqllex.TokQuotedIdent {
		return false
	}
	if i+1 >= len(toks) || toks[i+1].Text != "(" {
		return false
	}
	return i == 0 || toks[i-1].Text != "."
}

// tablePosition tells whether the call at i names a table: it follows JOIN,
// or a FROM that is not part of extract(... FROM ...) and its kin.
func tablePosition(toks []sqllex.Token, i int, calls []string) bool {
	if i == 0 || toks[i-1].Kind != sqllex.TokWord {
		return false
	}
	prev := strings.ToUpper(toks[i-1].Text)
	if prev == "JOIN" {
		return true
	}
	if prev != "FROM" {
		return false
	}
	return len(calls) == 0 || !listed(fromInside, calls[len(calls)-1])
}
