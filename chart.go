// Package milvuscoord embeds the milvus-coord chart, so that valuescheck checks
// and renders it anywhere, with no chart on disk.
package milvuscoord

import (
	"embed"
	"io/fs"
)

// ChartDir is the chart's directory in this repository.
const ChartDir = "charts/milvus-coord"

//go:embed all:charts/milvus-coord
var chartFiles embed.FS

// Chart returns the embedded chart directory (Chart.yaml at its root).
func Chart() fs.FS {
	sub, err := fs.Sub(chartFiles, ChartDir)
	if err != nil {
		panic(err) // unreachable: ChartDir is embedded above
	}
	return sub
}
