-- source: 
-- shape: table
-- param from = 2024-03-01
-- param package_norm = requests
-- param to = 2024-05-29
WITH
    (SELECT argMaxIf(repo, upload_time, repo != '') FROM (SELECT upload_time, regexpExtract(arrayFirst(u -> match(u, 'https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)'), arrayConcat(project_urls, [home_page])), 'https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)', 1) AS repo FROM pypi.projects WHERE lower(replaceRegexpAll(name, '[-_.]+', '-')) = {package_norm:String})) AS repo,
    created_at >= toDateTime({from:Date}, 'UTC') AND created_at < toDateTime({to:Date}, 'UTC') + INTERVAL 1 DAY AS in_range
SELECT
    any(repo_name) AS repository,
    concat('https://github.com/', repository) AS repository_url,
    toInt64(uniqExactIf(actor_login, (event_type = 'WatchEvent' AND action = 'started') AND in_range)) AS stars,
    toInt64(uniqExactIf(actor_login, (event_type = 'WatchEvent' AND action = 'started'))) AS stars_total,
    toInt64(uniqExactIf(actor_login, event_type = 'ForkEvent' AND in_range)) AS forks,
    toInt64(uniqExactIf(actor_login, event_type = 'ForkEvent')) AS forks_total,
    toInt64(uniqExactIf(number, event_type = 'IssuesEvent' AND in_range)) AS issues,
    toInt64(uniqExactIf(number, event_type = 'IssuesEvent')) AS issues_total,
    toInt64(uniqExactIf(number, event_type = 'PullRequestEvent' AND in_range)) AS prs,
    toInt64(uniqExactIf(number, event_type = 'PullRequestEvent')) AS prs_total,
    toInt64(uniqExactIf(actor_login, (event_type = 'PullRequestEvent' AND action = 'opened') AND in_range)) AS pr_authors,
    toInt64(uniqExactIf(actor_login, (event_type = 'PullRequestEvent' AND action = 'opened'))) AS pr_authors_total
FROM pypi.github_events
WHERE repo_name IN (repo)
  AND event_type IN ('WatchEvent', 'ForkEvent', 'IssuesEvent', 'PullRequestEvent')
HAVING count() > 0
