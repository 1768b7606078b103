// Package opsready holds the tests that keep template.yaml ready to operate: alarms on the API, every function and
// the escalation queue, notifications that can actually be delivered, log retention on every log group, tracing,
// and a dashboard that shows all of it with the business metrics the code emits.
package opsready
