package cluster

// go test ./... -update passes -update to every test binary; the golden
// package defines the flag, so this package accepts it too.
import _ "github.com/milvus-coord/milvus-coord/internal/golden"
