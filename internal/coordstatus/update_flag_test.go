package coordstatus_test

// Every test package accepts -update (make update); this one has no golden files.
import _ "github.com/milvus-coord/milvus-coord/internal/golden"
