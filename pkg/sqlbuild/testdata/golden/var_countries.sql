-- source: 
-- shape: table
SELECT any(name) AS __text, code AS __value
FROM pypi.countries
GROUP BY code
ORDER BY __text
