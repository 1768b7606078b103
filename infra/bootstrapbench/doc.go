// Package bootstrapbench measures and checks the functions' bootstrap binaries: the deployable linux/arm64
// size (benchmark metric and an 8 MB ceiling test), the cold start (init + first invoke) of a host build under
// the Runtime API stand-in, and that every sample event in events/<function-dir>/ runs without a function
// error.
//
// Sample events: events/<function-dir>/<case>.json is the event as `sam local invoke -e` takes it. For API
// events the proxy response must have statusCode < 500; a sibling <case>.expect.json such as
// {"statusCode": 404} pins the exact status instead (for cases that exercise a 4xx).
//
//	go test ./infra/bootstrapbench                          # size ceiling + sample events (needs `make services-up` env)
//	go test -run '^$' -bench . ./infra/bootstrapbench       # bytes and ms/coldstart per function
package bootstrapbench
