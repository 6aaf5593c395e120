// Package docs generates the repository's documentation from its sources, so
// that it cannot drift: the chart's README.md (every value with its type,
// default and description, from values.yaml `# --` comments and
// values.schema.json) and the rules table of the top-level README.md (from
// check.Catalog()).
//
// The generation runs as a golden-style test: `make docs` (go test
// ./internal/docs -run TestDocs -update) rewrites the files, and without
// -update the test fails when they differ from what the sources produce. The
// package's other tests run every command the README shows.
package docs
