// Package exactlyonce holds the tests that hold every idempotent route to its promise: a change whose
// transaction committed is never run again, whatever happens to the answer, and it costs a bounded number
// of DynamoDB requests. The tests run the real handlers on DynamoDB Local behind a fault-injecting HTTP
// transport; the package has no code of its own.
package exactlyonce
