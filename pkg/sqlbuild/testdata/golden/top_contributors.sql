-- source: 
-- shape: table
-- param from = 2024-03-01
-- param package_norm = requests
-- param row_limit = 10
-- param to = 2024-05-29
WITH dictGetOrDefault('pypi.project_to_repo_name_dict', 'repo_name', tuple({package_norm:String}), '') AS repo
SELECT
    actor_login AS contributor,
    toInt64(count()) AS events,
    count() / sum(count()) OVER () AS share,
    concat('https://github.com/', actor_login) AS profile
FROM pypi.github_events
WHERE repo_id IN (SELECT repo_id FROM pypi.repo_name_to_id WHERE repo_name IN (repo) AND repo_id != '')
  AND created_at >= toDateTime({from:Date}, 'UTC') AND created_at < toDateTime({to:Date}, 'UTC') + INTERVAL 1 DAY
  AND ((event_type = 'PullRequestEvent' AND action = 'opened')
    OR (event_type = 'IssuesEvent' AND action = 'opened')
    OR (event_type = 'IssueCommentEvent' AND action = 'created')
    OR (event_type = 'PullRequestReviewEvent' AND action = 'created')
    OR (event_type = 'PullRequestReviewCommentEvent' AND action = 'created')
    OR event_type = 'PushEvent')
  AND NOT match(actor_login, '(?i)([[]bot[]]|[-_]bot|^robot.*)$')
GROUP BY actor_login
ORDER BY events DESC, contributor
LIMIT {row_limit:UInt64}
