// Package docs keeps the repository's documentation from drifting from its
// sources: the chart's README.md is what the pinned helm-docs makes of
// README.md.gotmpl, Chart.yaml and the `# --` comments of values.yaml, and the
// rules table of the top-level README.md comes from the embedded chart's check.Chart.Catalog().
//
// The generation runs as a golden-style test: `make docs` (go test
// ./internal/docs -run TestDocs -update) rewrites the files, and without
// -update the test fails when they differ from what the sources produce. The
// package's other tests run every command the README shows.
package docs
