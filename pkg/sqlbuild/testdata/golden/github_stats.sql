-- source: 
-- shape: table
-- param from = 2024-03-01
-- param package_norm = requests
-- param to = 2024-05-29
WITH
    dictGetOrDefault('pypi.project_to_repo_name_dict', 'repo_name', tuple({package_norm:String}), '') AS repo,
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
WHERE repo_id IN (SELECT repo_id FROM pypi.repo_name_to_id WHERE repo_name IN (repo) AND repo_id != '')
  AND event_type IN ('WatchEvent', 'ForkEvent', 'IssuesEvent', 'PullRequestEvent')
HAVING count() > 0
