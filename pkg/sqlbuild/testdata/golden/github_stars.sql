-- source: 
-- granularity: week
-- shape: timeseries
-- param from = 2024-03-01
-- param package_norm = requests
-- param to = 2024-05-29
WITH dictGetOrDefault('pypi.project_to_repo_name_dict', 'repo_name', tuple({package_norm:String}), '') AS repo
SELECT
    toMonday(greatest(first_star, {from:Date})) AS time,
    toInt64(count()) AS value,
    least({to:Date}, today()) AS data_end
FROM (
    SELECT actor_login, toDate(min(created_at), 'UTC') AS first_star
    FROM pypi.github_events
    WHERE repo_id IN (SELECT repo_id FROM pypi.repo_name_to_id WHERE repo_name IN (repo) AND repo_id != '')
      AND (event_type = 'WatchEvent' AND action = 'started')
      AND created_at < toDateTime({to:Date}, 'UTC') + INTERVAL 1 DAY
    GROUP BY actor_login
)
GROUP BY time
ORDER BY time
