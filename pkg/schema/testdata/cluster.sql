CREATE DATABASE IF NOT EXISTS clickpy ON CLUSTER prod;

CREATE TABLE IF NOT EXISTS clickpy.pypi ON CLUSTER prod
(
    `date` Date,
    `country_code` LowCardinality(String),
    `project` String,
    `type` LowCardinality(String),
    `installer` LowCardinality(String),
    `python_minor` LowCardinality(String),
    `system` LowCardinality(String),
    `version` String
)
ENGINE = ReplicatedMergeTree
ORDER BY (project, date, version, country_code, python_minor, system);

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads ON CLUSTER prod
(
    `project` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_mv ON CLUSTER prod TO clickpy.pypi_downloads
(
    `project` String,
    `count` Int64
)
AS SELECT project, count() AS count
FROM clickpy.pypi
GROUP BY project;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_by_version ON CLUSTER prod
(
    `project` String,
    `version` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_by_version_mv ON CLUSTER prod TO clickpy.pypi_downloads_by_version
(
    `project` String,
    `version` String,
    `count` Int64
)
AS SELECT project, version, count() AS count
FROM clickpy.pypi
GROUP BY project, version;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day ON CLUSTER prod
(
    `date` Date,
    `project` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, date);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day
(
    `date` Date,
    `project` String,
    `count` Int64
)
AS SELECT date, project, count() AS count
FROM clickpy.pypi
GROUP BY date, project;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version ON CLUSTER prod
(
    `date` Date,
    `project` String,
    `version` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version
(
    `date` Date,
    `project` String,
    `version` String,
    `count` Int64
)
AS SELECT date, project, version, count() AS count
FROM clickpy.pypi
GROUP BY date, project, version;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_country ON CLUSTER prod
(
    `date` Date,
    `project` String,
    `version` String,
    `country_code` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date, country_code);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_country_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version_by_country
(
    `date` Date,
    `project` String,
    `version` String,
    `country_code` String,
    `count` Int64
)
AS SELECT date, project, version, country_code, count() AS count
FROM clickpy.pypi
GROUP BY date, project, version, country_code;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_file_type ON CLUSTER prod
(
    `date` Date,
    `project` String,
    `version` String,
    `type` LowCardinality(String),
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date, type);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_file_type_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version_by_file_type
(
    `date` Date,
    `project` String,
    `version` String,
    `type` LowCardinality(String),
    `count` Int64
)
AS SELECT date, project, version, type, count() AS count
FROM clickpy.pypi
GROUP BY date, project, version, type;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_python ON CLUSTER prod
(
    `date` Date,
    `project` String,
    `version` String,
    `python_minor` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date, python_minor);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_python_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version_by_python
(
    `date` Date,
    `project` String,
    `version` String,
    `python_minor` String,
    `count` Int64
)
AS SELECT date, project, version, python_minor, count() AS count
FROM clickpy.pypi
GROUP BY date, project, version, python_minor;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_python_by_country ON CLUSTER prod
(
    `date` Date,
    `project` String,
    `version` String,
    `python_minor` String,
    `country_code` LowCardinality(String),
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date, country_code, python_minor);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_python_by_country_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version_by_python_by_country
(
    `date` Date,
    `project` String,
    `version` String,
    `python_minor` String,
    `country_code` LowCardinality(String),
    `count` Int64
)
AS SELECT date, project, version, python_minor, country_code, count() AS count
FROM clickpy.pypi
GROUP BY date, project, version, python_minor, country_code;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_system ON CLUSTER prod
(
    `date` Date,
    `project` String,
    `version` String,
    `system` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date, system);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_system_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version_by_system
(
    `date` Date,
    `project` String,
    `version` String,
    `system` String,
    `count` Int64
)
AS SELECT date, project, version, system, count() AS count
FROM clickpy.pypi
GROUP BY date, project, version, system;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_system_by_country ON CLUSTER prod
(
    `date` Date,
    `project` String,
    `version` String,
    `system` String,
    `country_code` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date, country_code, system);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_system_by_country_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version_by_system_by_country
(
    `date` Date,
    `project` String,
    `version` String,
    `system` String,
    `country_code` String,
    `count` Int64
)
AS SELECT date, project, version, system, country_code, count() AS count
FROM clickpy.pypi
GROUP BY date, project, version, system, country_code;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_installer_by_type ON CLUSTER prod
(
    `project` String,
    `version` String,
    `date` Date,
    `installer` String,
    `type` LowCardinality(String),
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date, installer, type);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_installer_by_type_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version_by_installer_by_type
(
    `project` String,
    `version` String,
    `date` Date,
    `installer` String,
    `type` LowCardinality(String),
    `count` Int64
)
AS SELECT project, version, date, installer, type, count() AS count
FROM clickpy.pypi
GROUP BY project, version, date, installer, type;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_installer_by_type_by_country ON CLUSTER prod
(
    `project` String,
    `version` String,
    `date` Date,
    `installer` String,
    `type` LowCardinality(String),
    `country_code` LowCardinality(String),
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (project, version, date, country_code, installer, type);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_day_by_version_by_installer_by_type_by_country_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_day_by_version_by_installer_by_type_by_country
(
    `project` String,
    `version` String,
    `date` Date,
    `installer` String,
    `type` LowCardinality(String),
    `country_code` LowCardinality(String),
    `count` Int64
)
AS SELECT project, version, date, installer, type, country_code, count() AS count
FROM clickpy.pypi
GROUP BY project, version, date, installer, type, country_code;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_max_min ON CLUSTER prod
(
    `project` String,
    `max_date` SimpleAggregateFunction(max, Date),
    `min_date` SimpleAggregateFunction(min, Date)
)
ENGINE = ReplicatedAggregatingMergeTree
ORDER BY (project);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_max_min_mv ON CLUSTER prod TO clickpy.pypi_downloads_max_min
(
    `project` String,
    `max_date` SimpleAggregateFunction(max, Date),
    `min_date` SimpleAggregateFunction(min, Date)
)
AS SELECT project, maxSimpleState(date) AS max_date, minSimpleState(date) AS min_date
FROM clickpy.pypi
GROUP BY project;

CREATE TABLE IF NOT EXISTS clickpy.pypi_downloads_per_month ON CLUSTER prod
(
    `month` Date,
    `project` String,
    `count` Int64
)
ENGINE = ReplicatedSummingMergeTree
ORDER BY (month, project);

CREATE MATERIALIZED VIEW IF NOT EXISTS clickpy.pypi_downloads_per_month_mv ON CLUSTER prod TO clickpy.pypi_downloads_per_month
(
    `month` Date,
    `project` String,
    `count` Int64
)
AS SELECT toStartOfMonth(date) AS month, project, count() AS count
FROM clickpy.pypi
WHERE date > (toStartOfMonth(now()) - toIntervalMonth(6))
GROUP BY month, project;

CREATE TABLE IF NOT EXISTS clickpy.projects ON CLUSTER prod
(
    `metadata_version` String,
    `name` String,
    `version` String,
    `summary` String,
    `description` String,
    `description_content_type` String,
    `author` String,
    `author_email` String,
    `maintainer` String,
    `maintainer_email` String,
    `license` String,
    `keywords` String,
    `classifiers` Array(String),
    `platform` Array(String),
    `home_page` String,
    `download_url` String,
    `requires_python` String,
    `requires` Array(String),
    `provides` Array(String),
    `obsoletes` Array(String),
    `requires_dist` Array(String),
    `provides_dist` Array(String),
    `obsoletes_dist` Array(String),
    `requires_external` Array(String),
    `project_urls` Array(String),
    `uploaded_via` String,
    `upload_time` DateTime64,
    `filename` String,
    `size` Int64,
    `path` String,
    `python_version` String,
    `packagetype` String,
    `comment_text` String,
    `has_signature` Bool,
    `md5_digest` String,
    `sha256_digest` String,
    `blake2_256_digest` String
)
ENGINE = ReplicatedMergeTree
ORDER BY (name);

CREATE TABLE IF NOT EXISTS clickpy.countries ON CLUSTER prod
(
    `name` String,
    `code` String
)
ENGINE = ReplicatedMergeTree
ORDER BY (code);

CREATE DICTIONARY IF NOT EXISTS clickpy.countries_dict ON CLUSTER prod
(
    `name` String,
    `code` String
)
PRIMARY KEY code
SOURCE(CLICKHOUSE(DATABASE 'clickpy' TABLE 'countries' USER 'dict' PASSWORD 'p\'w\\d'))
LIFETIME(MIN 0 MAX 300)
LAYOUT(COMPLEX_KEY_HASHED());

CREATE DICTIONARY IF NOT EXISTS clickpy.last_updated_dict ON CLUSTER prod
(
    `name` String,
    `last_update` DateTime64(3)
)
PRIMARY KEY name
SOURCE(CLICKHOUSE(QUERY 'SELECT name, max(upload_time) AS last_update FROM clickpy.projects GROUP BY name' USER 'dict' PASSWORD 'p\'w\\d'))
LIFETIME(MIN 0 MAX 300)
LAYOUT(COMPLEX_KEY_HASHED());
