-- source: 
-- shape: table
SELECT '' AS repository, '' AS repository_url, toInt64(0) AS stars, toInt64(0) AS stars_total, toInt64(0) AS forks, toInt64(0) AS forks_total, toInt64(0) AS issues, toInt64(0) AS issues_total, toInt64(0) AS prs, toInt64(0) AS prs_total, toInt64(0) AS pr_authors, toInt64(0) AS pr_authors_total WHERE 0
