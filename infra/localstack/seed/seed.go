// Package seed loads the local demo data in this folder and sends it through the local API, so seeding
// takes the same route, authorizer translation and function code as production traffic.
//
// Every *.json file here is read in name order. A file may hold:
//
//	{"customers": [{"id": "cust-budi", "email": "budi.santoso@example.co.id", "name": "Budi Santoso"}],
//	 "requests":  [{"method": "PUT", "path": "/ops/orders/TGP-10001", "body": {...}}]}
//
// customers give the local Cognito claims their email; requests are sent as the ops identity
// (Bearer dev-ops:seed). Times in bodies are relative to now, so the demo never ages: a string that is
// exactly "${now}", "${now-3d}", "${now-40d+2h}" or "${now+30m}" (units d, h, m, s) becomes that instant in
// RFC 3339 UTC.
//
// Seeding is idempotent: before a PUT the seeder GETs the same path (as ops) and skips the request if the
// resource already exists, so data changed while playing with the demo is not overwritten on restart.
package seed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Operator is the dev-ops identity seed requests are sent as.
const Operator = "seed"

// Customer is a demo shopper.
type Customer struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Request is one API call that creates demo data.
type Request struct {
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Body   json.RawMessage `json:"body"`
	File   string          `json:"-"`
}

// Data is everything in a seed folder.
type Data struct {
	Customers []Customer
	Requests  []Request
}

type file struct {
	Customers []Customer `json:"customers"`
	Requests  []Request  `json:"requests"`
}

// Load reads dir/*.json and resolves relative times against now.
func Load(dir string, now time.Time) (Data, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return Data{}, err
	}
	sort.Strings(paths)
	var d Data
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return Data{}, err
		}
		var f file
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return Data{}, fmt.Errorf("seed %s: %w", filepath.Base(p), err)
		}
		d.Customers = append(d.Customers, f.Customers...)
		for i, r := range f.Requests {
			if r.Method == "" || !strings.HasPrefix(r.Path, "/") {
				return Data{}, fmt.Errorf("seed %s: request %d: want method and an absolute path", filepath.Base(p), i)
			}
			body, err := resolveTimes(r.Body, now)
			if err != nil {
				return Data{}, fmt.Errorf("seed %s: request %d (%s %s): %w", filepath.Base(p), i, r.Method, r.Path, err)
			}
			r.Method, r.Body, r.File = strings.ToUpper(r.Method), body, filepath.Base(p)
			d.Requests = append(d.Requests, r)
		}
	}
	return d, nil
}

// Email is the seeded email of a customer, or "".
func (d Data) Email(customerID string) string {
	for _, c := range d.Customers {
		if c.ID == customerID {
			return c.Email
		}
	}
	return ""
}

// Name is the seeded name of a customer, or "".
func (d Data) Name(customerID string) string {
	for _, c := range d.Customers {
		if c.ID == customerID {
			return c.Name
		}
	}
	return ""
}

// Result counts what Apply did.
type Result struct {
	Created, Kept int
}

// Apply sends the requests through api (the local API gateway handler) as the ops identity.
func Apply(ctx context.Context, api http.Handler, d Data, logf func(string, ...any)) (Result, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	var res Result
	for _, r := range d.Requests {
		if r.Method == http.MethodPut {
			rec := send(ctx, api, http.MethodGet, r.Path, nil)
			if rec.Code == http.StatusOK {
				res.Kept++
				continue
			}
		}
		rec := send(ctx, api, r.Method, r.Path, r.Body)
		if rec.Code >= 300 {
			return res, fmt.Errorf("seed %s: %s %s: %d %s", r.File, r.Method, r.Path, rec.Code, strings.TrimSpace(rec.Body.String()))
		}
		res.Created++
	}
	logf("seed: %d created, %d already there", res.Created, res.Kept)
	return res, nil
}

func send(ctx context.Context, api http.Handler, method, path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(ctx, method, path, bytes.NewReader(body))
	req.RemoteAddr = "127.0.0.1:0"
	req.Host = "localhost"
	req.Header.Set("Authorization", "Bearer dev-ops:"+Operator)
	req.Header.Set("User-Agent", "tanggap-localstack-seed")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	return rec
}

var relativeTime = regexp.MustCompile(`^\$\{now((?:[+-]\d+[dhms])*)\}$`)
var offsetPart = regexp.MustCompile(`([+-])(\d+)([dhms])`)

func resolveTimes(raw json.RawMessage, now time.Time) (json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep rupiah amounts exact
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	v, err := walk(v, now)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func walk(v any, now time.Time) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			r, err := walk(e, now)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			x[k] = r
		}
	case []any:
		for i, e := range x {
			r, err := walk(e, now)
			if err != nil {
				return nil, err
			}
			x[i] = r
		}
	case string:
		if strings.HasPrefix(x, "${") {
			t, err := RelativeTime(x, now)
			if err != nil {
				return nil, err
			}
			return t.Format(time.RFC3339), nil
		}
	}
	return v, nil
}

// RelativeTime resolves "${now-3d+2h}" against now (UTC, whole seconds).
func RelativeTime(expr string, now time.Time) (time.Time, error) {
	m := relativeTime.FindStringSubmatch(expr)
	if m == nil {
		return time.Time{}, fmt.Errorf("%q is not a relative time like ${now-3d}", expr)
	}
	t := now.UTC().Truncate(time.Second)
	for _, p := range offsetPart.FindAllStringSubmatch(m[1], -1) {
		n, err := strconv.Atoi(p[2])
		if err != nil {
			return time.Time{}, err
		}
		unit := map[string]time.Duration{"d": 24 * time.Hour, "h": time.Hour, "m": time.Minute, "s": time.Second}[p[3]]
		d := time.Duration(n) * unit
		if p[1] == "-" {
			d = -d
		}
		t = t.Add(d)
	}
	return t, nil
}
