package buildinfo

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVersion(t *testing.T) {
	assert.Equal(t, "v1.2.3", Version("v1.2.3"), "a stamped version wins")
	// A test binary has no module version: "(devel)".
	assert.Equal(t, "(devel)", Version(""))
}
