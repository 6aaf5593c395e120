package rules

import "testing"

func TestStreamingServiceEnv(t *testing.T) {
	runCases(t, streamingServiceEnv, []ruleCase{
		{name: "chart defaults: off"},
		{name: "on for 2.5", overlay: "image: {all: {tag: v2.5.27}}\nmilvus: {streaming: {enabled: true}}"},
		{name: "on for 2.6: Milvus sets it itself, nothing to say", overlay: "image: {all: {tag: v2.6.3}}\nmilvus: {streaming: {enabled: true}}\n" + separateOff + "mixCoordinator: {enabled: true}"},
		{name: "an unknown version: not judged", overlay: "image: {all: {tag: latest}}\nmilvus: {streaming: {enabled: true}}"},
		{
			name:    "on for 2.4, which has no streaming service",
			overlay: "milvus: {streaming: {enabled: true}}",
			want: []want{{Subject: "streaming@milvus.streaming.enabled", At: path("milvus.streaming.enabled"),
				Msg: "milvus.streaming.enabled sets MILVUS_STREAMING_SERVICE_ENABLED, but Milvus 2.4.17 has no streaming service (it came with 2.5): nothing reads it",
				Fix: "remove milvus.streaming.enabled"}},
		},
		{
			name:    `"true" is not "1": off, silently`,
			overlay: "image: {all: {tag: v2.5.27}}\n" + separateOff + "mixCoordinator: {enabled: true, extraEnv: [{name: MILVUS_STREAMING_SERVICE_ENABLED, value: \"true\"}]}",
			want: []want{{Subject: "streaming@mixCoordinator.extraEnv[0].name", At: path("mixCoordinator.extraEnv[0].name"),
				Msg: `mixCoordinator.extraEnv[0].name MILVUS_STREAMING_SERVICE_ENABLED sets MILVUS_STREAMING_SERVICE_ENABLED to "true", but Milvus turns the streaming service on only for the text "1"`,
				Fix: "remove mixCoordinator.extraEnv[0] and set milvus.streaming.enabled: true (or false)"}},
		},
	})
}
