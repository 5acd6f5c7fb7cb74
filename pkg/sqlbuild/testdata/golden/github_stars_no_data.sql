-- source: 
-- shape: timeseries
SELECT toDate(0) AS time, toInt64(0) AS value, toDate(0) AS data_end WHERE 0
