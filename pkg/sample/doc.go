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
// (NeedingRefresh). Expect describes the truth for a Config.
package sample
