package dynamoiam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// TablesFromTemplate describes the template's tables under their local names and ARNs (by logical id).
func TablesFromTemplate(tpl *samtemplate.Template, names, arns map[string]string) (Tables, error) {
	defs, err := tpl.Tables()
	if err != nil {
		return nil, err
	}
	out := Tables{}
	for id, def := range defs {
		name, ok := names[id]
		if !ok {
			continue
		}
		t := Table{ARN: arns[id], PartitionKey: hashKey(def.Input.KeySchema), IndexPartitionKeys: map[string]string{}}
		for _, g := range def.Input.GlobalSecondaryIndexes {
			t.IndexPartitionKeys[*g.IndexName] = hashKey(g.KeySchema)
		}
		for _, l := range def.Input.LocalSecondaryIndexes {
			t.IndexPartitionKeys[*l.IndexName] = hashKey(l.KeySchema)
		}
		out[name] = t
	}
	return out, nil
}

func hashKey(ks []types.KeySchemaElement) string {
	for _, k := range ks {
		if k.KeyType == types.KeyTypeHash && k.AttributeName != nil {
			return *k.AttributeName
		}
	}
	return ""
}

// maxBody bounds what the proxy reads of a request (DynamoDB's own limit is 16 MB).
const maxBody = 16 << 20

// Proxy forwards one function's DynamoDB requests to Target when its Policy allows every authorisation
// they need, and answers AccessDeniedException otherwise.
type Proxy struct {
	Function string
	Policy   Policy
	Tables   Tables
	Target   *url.URL
	// Logf receives one line per refusal; nil is quiet.
	Logf func(format string, args ...any)

	once    sync.Once
	forward *httputil.ReverseProxy
	mu      sync.Mutex
	denied  []string
}

// Denied lists what the proxy refused so far.
func (p *Proxy) Denied() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.denied...)
}

// TakeDenied returns what the proxy refused so far and forgets it (for a test that provokes refusals).
func (p *Proxy) TakeDenied() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.denied
	p.denied = nil
	return d
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.once.Do(func() { p.forward = httputil.NewSingleHostReverseProxy(p.Target) })
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		p.deny(w, "", fmt.Sprintf("request body unreadable or over %d bytes", maxBody))
		return
	}
	_, operation, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	auths, err := p.Tables.Authorizations(operation, body)
	if err != nil {
		p.deny(w, "dynamodb:"+operation, err.Error())
		return
	}
	for _, a := range auths {
		if !p.Policy.Allows(a) {
			p.deny(w, a.Action, a.String())
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	p.forward.ServeHTTP(w, r)
}

func (p *Proxy) deny(w http.ResponseWriter, action, what string) {
	p.mu.Lock()
	p.denied = append(p.denied, what)
	p.mu.Unlock()
	if p.Logf != nil {
		p.Logf("iam: %s is not allowed %s", p.Function, what)
	}
	msg := fmt.Sprintf("User: arn:aws:sts::000000000000:assumed-role/%sRole/%s is not authorized to perform: %s "+
		"because no identity-based policy allows it (%s)", p.Function, p.Function, action, what)
	b, _ := json.Marshal(map[string]string{"__type": "com.amazon.coral.service#AccessDeniedException", "Message": msg})
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(b)
}
