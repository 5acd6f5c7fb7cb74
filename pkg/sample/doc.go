// Package sample generates realistic, deterministic ClickPy data: raw PyPI
// download rows for the pypi table, distribution metadata for projects and
// the ISO country list for countries.
//
// Everything is a pure function of Config (seed, last day, size): the same
// inputs give the same rows whatever the batch size, goroutine scheduling or
// map order, because every package-day draws from its own PCG stream seeded
// from a hash of (seed, package, day) and results are emitted in a fixed
// order.
//
// The data carries known shapes that tests elsewhere can rely on without
// reading a database: a Zipf-like popularity headed by real top PyPI names,
// weekly seasonality, one hot package (HotPackage), one package with a
// sudden drop (DropPackage on End minus DropDaysBeforeEnd), several emerging
// packages (Emerging) and several popular packages needing a release
// (NeedingRefresh). For the drop alerts' backtest it also plants events on
// known days (events.go): drops of 30% to 90% lasting 1 to 14 days on
// packages of four popularity tiers, a sustained decline, Christmas and
// New Year dips that every package follows, and a data stall (a partly
// loaded day, then days with no data at all). Expect describes the truth
// for a Config, events included.
package sample
