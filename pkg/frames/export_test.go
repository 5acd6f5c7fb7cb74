package frames

// ScanSeries lets tests tell which way Run took.
var ScanSeries = scanSeries
