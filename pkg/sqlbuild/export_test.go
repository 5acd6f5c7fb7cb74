package sqlbuild

// VersionKey exposes versionKey to the engine tests.
var VersionKey = versionKey
