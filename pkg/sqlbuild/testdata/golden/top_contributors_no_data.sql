-- source: 
-- shape: table
SELECT '' AS contributor, toInt64(0) AS events, toFloat64(0) AS share, '' AS profile WHERE 0
