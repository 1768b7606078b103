// Package apicontract holds the tests that keep the API's three descriptions in step: the routes the
// handlers serve, the API events in template.yaml, and the OpenAPI document.
package apicontract
