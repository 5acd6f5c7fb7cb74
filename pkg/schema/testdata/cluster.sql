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

CREATE DATABASE IF NOT EXISTS github ON CLUSTER prod;

CREATE TABLE IF NOT EXISTS github.github_events ON CLUSTER prod
(
    `file_time` DateTime,
    `event_type` Enum8('CommitCommentEvent' = 1, 'CreateEvent' = 2, 'DeleteEvent' = 3, 'ForkEvent' = 4, 'GollumEvent' = 5, 'IssueCommentEvent' = 6, 'IssuesEvent' = 7, 'MemberEvent' = 8, 'PublicEvent' = 9, 'PullRequestEvent' = 10, 'PullRequestReviewCommentEvent' = 11, 'PushEvent' = 12, 'ReleaseEvent' = 13, 'SponsorshipEvent' = 14, 'WatchEvent' = 15, 'GistEvent' = 16, 'FollowEvent' = 17, 'DownloadEvent' = 18, 'PullRequestReviewEvent' = 19, 'ForkApplyEvent' = 20, 'Event' = 21, 'TeamAddEvent' = 22),
    `actor_login` LowCardinality(String),
    `repo_name` LowCardinality(String),
    `repo_id` LowCardinality(String),
    `created_at` DateTime,
    `updated_at` DateTime,
    `action` Enum8('none' = 0, 'created' = 1, 'added' = 2, 'edited' = 3, 'deleted' = 4, 'opened' = 5, 'closed' = 6, 'reopened' = 7, 'assigned' = 8, 'unassigned' = 9, 'labeled' = 10, 'unlabeled' = 11, 'review_requested' = 12, 'review_request_removed' = 13, 'synchronize' = 14, 'started' = 15, 'published' = 16, 'update' = 17, 'create' = 18, 'fork' = 19, 'merged' = 20),
    `number` UInt32,
    `title` String,
    `state` Enum8('none' = 0, 'open' = 1, 'closed' = 2),
    `merged` UInt8
)
ENGINE = ReplicatedMergeTree
ORDER BY (repo_id, event_type, created_at);

CREATE TABLE IF NOT EXISTS github.repo_name_to_id ON CLUSTER prod
(
    `repo_name` String,
    `repo_id` String
)
ENGINE = ReplicatedReplacingMergeTree
ORDER BY (repo_name);

CREATE MATERIALIZED VIEW IF NOT EXISTS github.repo_name_to_id_mv ON CLUSTER prod TO github.repo_name_to_id
(
    `repo_name` String,
    `repo_id` String
)
AS SELECT repo_name, any(repo_id) AS repo_id
FROM github.github_events
GROUP BY repo_name;

CREATE DICTIONARY IF NOT EXISTS clickpy.project_to_repo_name_dict ON CLUSTER prod
(
    `project` String,
    `repo_name` String
)
PRIMARY KEY project
SOURCE(CLICKHOUSE(QUERY 'SELECT lower(replaceRegexpAll(name, \'[-_.]+\', \'-\')) AS project, argMax(repo, upload_time) AS repo_name FROM (SELECT name, upload_time, regexpExtract(arrayFirst(u -> match(u, \'https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)\'), arrayConcat(project_urls, [home_page])), \'https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)\', 1) AS repo FROM clickpy.projects) WHERE repo != \'\' GROUP BY project' USER 'dict' PASSWORD 'p\'w\\d'))
LIFETIME(MIN 0 MAX 3600)
LAYOUT(COMPLEX_KEY_HASHED());
