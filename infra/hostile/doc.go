// Package hostile holds only tests: every malformed request from issue 9 (paths the adapter cannot convert or
// the mux would redirect, bodies the contract refuses, field errors that must name JSON paths) sent through
// the production path (proxy event -> aws-lambda-go-api-proxy -> the real handlers on DynamoDB Local), each
// answered with a 4xx problem document and nothing stored.
package hostile
