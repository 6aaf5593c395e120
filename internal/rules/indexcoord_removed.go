package rules

import "github.com/milvus-coord/milvus-coord/internal/finding"

// indexCoordinatorRemoved: indexcoord was merged into datacoord in Milvus 2.3;
// this chart has no index coordinator block.
var indexCoordinatorRemoved = Rule{
	ID:       "indexcoord-removed",
	Severity: finding.Error,
	Protects: "An indexCoordinator block: since Milvus 2.3 datacoord does index coordination, and this chart has no index coordinator.",
	Fix:      "Remove indexCoordinator; dataCoordinator (or mixCoordinator) runs index coordination.",
	check: func(in *Input) []finding.Finding {
		if _, ok := in.Values["indexCoordinator"]; !ok {
			return nil
		}
		return []finding.Finding{{
			Path:    "indexCoordinator",
			Message: "indexCoordinator is set, but indexcoord was merged into datacoord in Milvus 2.3 (datacoord also registers the indexcoord session): this chart has no index coordinator",
			Fix:     "remove the indexCoordinator block; dataCoordinator runs index coordination",
		}}
	},
}
