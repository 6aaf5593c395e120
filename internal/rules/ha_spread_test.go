package rules

import "testing"

func TestHASpread(t *testing.T) {
	modeRel := func(key string) []string { return []string{"podAntiAffinity.mode", key + ".affinity"} }
	runCases(t, haSpread, []ruleCase{
		{name: "chart defaults: soft anti-affinity"},
		{name: "hard anti-affinity", overlay: "podAntiAffinity: {mode: hard}"},
		{
			name:    "mode none, two replicas each",
			overlay: "podAntiAffinity: {mode: none}",
			user:    []string{"podAntiAffinity.mode"},
			want: []want{
				{Path: "podAntiAffinity.mode", Msg: "podAntiAffinity.mode is none and rootCoordinator has 2 replicas and no topologySpreadConstraints", Related: modeRel("rootCoordinator")},
				{Path: "podAntiAffinity.mode", Msg: "podAntiAffinity.mode is none and queryCoordinator has 2 replicas", Related: modeRel("queryCoordinator")},
				{Path: "podAntiAffinity.mode", Msg: "podAntiAffinity.mode is none and dataCoordinator has 2 replicas", Related: modeRel("dataCoordinator")},
			},
		},
		{
			name: "mode none with one replica each",
			overlay: `
podAntiAffinity: {mode: none}
rootCoordinator: {replicas: 1}
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
`,
		},
		{
			name: "mode none, topologySpreadConstraints on one coordinator",
			overlay: `
podAntiAffinity: {mode: none}
rootCoordinator:
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: DoNotSchedule
`,
			user: []string{"podAntiAffinity.mode"},
			want: []want{
				{Path: "podAntiAffinity.mode", Msg: "queryCoordinator has 2 replicas", Related: modeRel("queryCoordinator")},
				{Path: "podAntiAffinity.mode", Msg: "dataCoordinator has 2 replicas", Related: modeRel("dataCoordinator")},
			},
		},
		{
			name: "mode none from an earlier layer, user raised replicas: points at replicas",
			overlay: `
podAntiAffinity: {mode: none}
rootCoordinator: {replicas: 1}
queryCoordinator: {replicas: 3}
dataCoordinator: {replicas: 1}
`,
			user: []string{"queryCoordinator.replicas"},
			want: []want{
				{Path: "queryCoordinator.replicas", Msg: "podAntiAffinity.mode is none and queryCoordinator has 3 replicas", Related: modeRel("queryCoordinator")},
			},
		},
		{
			name: "mode none, mixCoordinator only; disabled blocks ignored",
			overlay: `
podAntiAffinity: {mode: none}
mixCoordinator: {enabled: true, replicas: 3}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			want: []want{{Path: "podAntiAffinity.mode", Msg: "podAntiAffinity.mode is none and mixCoordinator has 3 replicas", Related: modeRel("mixCoordinator")}},
		},
		{
			name: "mode none, replicas as a string is not read",
			overlay: `
podAntiAffinity: {mode: none}
rootCoordinator: {replicas: "3"}
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
`,
		},
		{name: "mode of the wrong type is not read", overlay: "podAntiAffinity: {mode: 1}"},
		{name: "podAntiAffinity not a mapping is not read", overlay: "podAntiAffinity: none"},
		{
			name: "nodeSelector pins every replica to one hostname",
			overlay: `
rootCoordinator:
  nodeSelector: {kubernetes.io/hostname: node-a}
`,
			want: []want{{
				Path: `rootCoordinator.nodeSelector["kubernetes.io/hostname"]`,
				Msg:  "rootCoordinator.nodeSelector pins all 2 replicas of rootcoord to node node-a",
			}},
		},
		{
			name: "nodeSelector pins mixcoord",
			overlay: `
mixCoordinator:
  enabled: true
  replicas: 3
  nodeSelector: {kubernetes.io/hostname: node-b}
rootCoordinator: {enabled: false}
queryCoordinator: {enabled: false}
dataCoordinator: {enabled: false}
`,
			want: []want{{
				Path: `mixCoordinator.nodeSelector["kubernetes.io/hostname"]`,
				Msg:  "mixCoordinator.nodeSelector pins all 3 replicas of mixcoord to node node-b",
			}},
		},
		{
			name: "nodeSelector hostname with one replica",
			overlay: `
rootCoordinator:
  replicas: 1
  nodeSelector: {kubernetes.io/hostname: node-a}
`,
		},
		{
			name: "nodeSelector hostname on a disabled coordinator",
			overlay: `
mixCoordinator:
  nodeSelector: {kubernetes.io/hostname: node-a}
`,
		},
		{
			name: "nodeSelector on another label",
			overlay: `
rootCoordinator:
  nodeSelector: {topology.kubernetes.io/zone: zone-a, node-role: milvus}
`,
		},
		{
			name: "nodeSelector hostname of the wrong type is not read",
			overlay: `
rootCoordinator:
  nodeSelector: {kubernetes.io/hostname: 12}
`,
		},
		{
			name: "required node affinity to one hostname",
			overlay: `
queryCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
`,
			want: []want{{
				Path: "queryCoordinator.affinity.nodeAffinity",
				Msg:  "queryCoordinator.affinity.nodeAffinity requires node node-a for all 2 replicas of querycoord",
			}},
		},
		{
			name: "required node affinity: one term pins the hostname among other expressions",
			overlay: `
queryCoordinator:
  replicas: 4
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: node-role, operator: Exists}
              - {key: kubernetes.io/hostname, operator: In, values: [node-c]}
`,
			want: []want{{Path: "queryCoordinator.affinity.nodeAffinity", Msg: "requires node node-c for all 4 replicas"}},
		},
		{
			name: "required node affinity: two terms pin the same hostname",
			overlay: `
dataCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
`,
			want: []want{{Path: "dataCoordinator.affinity.nodeAffinity", Msg: "requires node node-a for all 2 replicas of datacoord"}},
		},
		{
			name: "required node affinity: two terms, two hostnames",
			overlay: `
dataCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-b]}
`,
		},
		{
			name: "required node affinity: one term pinned, one free",
			overlay: `
dataCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
          - matchExpressions:
              - {key: node-role, operator: In, values: [milvus]}
`,
		},
		{
			name: "required node affinity: two hostnames in one term",
			overlay: `
rootCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-a, node-b]}
`,
		},
		{
			name: "required node affinity: NotIn one hostname",
			overlay: `
rootCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: NotIn, values: [node-a]}
`,
		},
		{
			name: "preferred node affinity to one hostname",
			overlay: `
rootCoordinator:
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          preference:
            matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
`,
		},
		{
			name: "required node affinity with one replica",
			overlay: `
rootCoordinator:
  replicas: 1
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
`,
		},
		{
			name: "node affinity of the wrong shape: no panic",
			overlay: `
rootCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [node-a, {matchExpressions: [x, {key: kubernetes.io/hostname, operator: In, values: [3]}]}]
`,
		},
		{
			name: "empty podAntiAffinity replaces the chart's",
			overlay: `
rootCoordinator:
  affinity:
    podAntiAffinity: {}
`,
			want: []want{{
				Path:    "rootCoordinator.affinity.podAntiAffinity",
				Msg:     "rootCoordinator.affinity.podAntiAffinity is empty and replaces the chart's anti-affinity: the 2 replicas of rootcoord may all run on one node",
				Related: []string{"rootCoordinator.affinity"},
			}},
		},
		{
			name: "empty podAntiAffinity with topologySpreadConstraints",
			overlay: `
rootCoordinator:
  affinity:
    podAntiAffinity: {}
  topologySpreadConstraints:
    - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway}
`,
		},
		{
			name: "own podAntiAffinity terms win over mode none",
			overlay: `
podAntiAffinity: {mode: none}
rootCoordinator:
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - topologyKey: kubernetes.io/hostname
          labelSelector: {matchLabels: {component: rootcoord}}
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
`,
		},
		{
			name: "empty podAntiAffinity under mode none: reported once, for the empty block",
			overlay: `
podAntiAffinity: {mode: none}
rootCoordinator:
  affinity:
    podAntiAffinity: {}
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
`,
			want: []want{{Path: "rootCoordinator.affinity.podAntiAffinity", Msg: "is empty and replaces the chart's anti-affinity", Related: []string{"rootCoordinator.affinity"}}},
		},
		{
			name: "every problem of one coordinator, in order",
			overlay: `
podAntiAffinity: {mode: none}
rootCoordinator:
  replicas: 3
  nodeSelector: {kubernetes.io/hostname: node-a}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-b]}
queryCoordinator: {replicas: 1}
dataCoordinator: {replicas: 1}
`,
			user: []string{"rootCoordinator"},
			want: []want{
				{Path: `rootCoordinator.nodeSelector["kubernetes.io/hostname"]`, Msg: "pins all 3 replicas of rootcoord to node node-a"},
				{Path: "rootCoordinator.affinity.nodeAffinity", Msg: "requires node node-b for all 3 replicas of rootcoord"},
				{Path: "rootCoordinator.replicas", Msg: "podAntiAffinity.mode is none and rootCoordinator has 3 replicas", Related: modeRel("rootCoordinator")},
			},
		},
		{
			name: "podAntiAffinity of the wrong type is not read (the schema reports it)",
			overlay: `
rootCoordinator:
  affinity:
    podAntiAffinity: "spread"
`,
		},
	})
}
