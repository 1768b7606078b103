package helpcenter_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/helpcenter/safemarkdown"
	"github.com/tanggap/tanggap/shared/platform/config"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/ticket"
)

type demoArticle struct {
	slug  string
	draft helpcenter.Draft
}

// demoArticles reads the articles make run seeds (infra/localstack/seed/30-help-articles.json).
func demoArticles(t *testing.T) map[string]demoArticle {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "infra", "localstack", "seed", "30-help-articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var seed struct {
		Requests []struct {
			Method string `json:"method"`
			Path   string `json:"path"`
			Body   struct {
				Category string                        `json:"category"`
				Tags     []string                      `json:"tags"`
				Content  map[string]helpcenter.Content `json:"content"`
			} `json:"body"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(raw, &seed); err != nil {
		t.Fatal(err)
	}
	out := map[string]demoArticle{}
	for _, r := range seed.Requests {
		if r.Method != "PUT" {
			continue
		}
		slug := strings.TrimPrefix(r.Path, "/ops/help/articles/")
		out[slug] = demoArticle{slug: slug, draft: helpcenter.Draft{Category: r.Body.Category, Tags: r.Body.Tags, Content: r.Body.Content}}
	}
	return out
}

// deployedPolicy is the return policy the functions run with when deployed with the template's defaults:
// config.ReturnPolicy over the environment template.yaml gives them.
func deployedPolicy(t *testing.T) returnpolicy.Policy {
	t.Helper()
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	params := tpl.Parameters()
	env := config.FromMap(map[string]string{
		"RETURN_POLICY_VERSION": params["ReturnPolicyVersion"].Default,
		"RETURN_WINDOW_DAYS":    params["ReturnWindowDays"].Default,
		"RESTOCKING_FEE_BPS":    params["RestockingFeeBps"].Default,
		"SHOP_TIME_ZONE":        params["ShopTimeZone"].Default,
	})
	p := config.ReturnPolicy(env)
	if err := env.Err(); err != nil {
		t.Fatal(err)
	}
	return p
}

func text(a demoArticle, lang string) string {
	c := a.draft.Content[lang]
	return c.Title + "\n" + safemarkdown.PlainText(c.Body)
}

// Issue 12: the demo articles state the product's actual rules, read from the same settings the functions
// use, so a changed parameter (the window, the fee, an SLA target) fails here until the articles follow.
func TestDemoArticlesAgreeWithTheProductRules(t *testing.T) {
	arts := demoArticles(t)
	if len(arts) < 18 {
		t.Fatalf("%d demo articles, want about 20", len(arts))
	}
	for slug, a := range arts {
		if _, err := a.draft.Validate(); err != nil {
			t.Errorf("%s: %v", slug, err)
		}
		if len(a.draft.Content) != 2 {
			t.Errorf("%s: written in %d languages, want id and en", slug, len(a.draft.Content))
		}
	}
	covered := map[string]bool{}
	for _, a := range arts {
		covered[a.draft.Category] = true
	}
	for _, c := range []string{"returns", "refunds", "shipping", "payments", "account", "complaints", "surveys"} {
		if !covered[c] {
			t.Errorf("no demo article in %s", c)
		}
	}
	must := func(slug, lang string, phrases ...string) {
		t.Helper()
		a, ok := arts[slug]
		if !ok {
			t.Errorf("no demo article %s", slug)
			return
		}
		body := strings.ToLower(text(a, lang))
		for _, p := range phrases {
			if !strings.Contains(body, strings.ToLower(p)) {
				t.Errorf("%s (%s) does not say %q", slug, lang, p)
			}
		}
	}
	mustAny := func(slug, lang string, phrases ...string) {
		t.Helper()
		body := strings.ToLower(text(arts[slug], lang))
		for _, p := range phrases {
			if strings.Contains(body, p) {
				return
			}
		}
		t.Errorf("%s (%s) says none of %q", slug, lang, phrases)
	}

	p := deployedPolicy(t)
	window := fmt.Sprint(p.WindowDays)
	fee := fmt.Sprintf("%d%%", p.RestockingFeeBps/100)
	if p.RestockingFeeBps%100 != 0 {
		t.Fatalf("fee %d bps is not a whole percent; the articles say whole percents", p.RestockingFeeBps)
	}
	for _, slug := range []string{"batas-waktu-pengembalian", "barang-final-sale", "membatalkan-pengembalian", "pengembalian-ditolak", "saldo-toko-dan-tukar-barang", "ukuran-tidak-cocok"} {
		must(slug, "id", window+" hari")
		mustAny(slug, "en", window+"-day", window+" days")
	}
	must("batas-waktu-pengembalian", "id", "hari ke-"+window, "23.59")
	must("batas-waktu-pengembalian", "en", fmt.Sprintf("%dth day", p.WindowDays), "23.59")
	for _, lang := range []string{"id", "en"} {
		must("biaya-penanganan-retur", lang, fee)
		must("ukuran-tidak-cocok", lang, fee)
		must("saldo-toko-dan-tukar-barang", lang, fee)
		// Every fee-free reason and every condition that pays the fee is named, by its label.
		for _, r := range p.FeeFreeReasons {
			must("biaya-penanganan-retur", lang, strings.ToLower(i18n.Label(i18n.Lang(lang), "return_reason", string(r))))
		}
		for _, c := range p.RestockingConditions {
			must("biaya-penanganan-retur", lang, strings.ToLower(i18n.Label(i18n.Lang(lang), "return_condition", string(c))))
		}
		must("biaya-penanganan-retur", lang, strings.ToLower(i18n.Label(i18n.Lang(lang), "return_condition", "unopened")))
		// The shipping fee comes back exactly for the policy's shipping-refund reasons.
		for _, r := range returnpolicy.Reasons {
			label := strings.ToLower(i18n.Label(i18n.Lang(lang), "return_reason", string(r)))
			listed := strings.Contains(strings.ToLower(text(arts["refund-ongkos-kirim"], lang)), label)
			if p.RefundsShipping(r) && !listed {
				t.Errorf("refund-ongkos-kirim (%s) does not name %q, whose shipping fee is refunded", lang, label)
			}
		}
		// Every resolution is offered.
		for _, res := range []string{"refund", "exchange", "store_credit"} {
			must("cara-mengembalikan-barang", lang, strings.ToLower(i18n.Label(i18n.Lang(lang), "return_resolution", res))[:5])
		}
	}

	// SLA targets per priority, as the complaints function computes due times.
	sla := ticket.DefaultSLA()
	dur := func(lang string, d time.Duration) string {
		if d < time.Hour {
			if lang == "id" {
				return fmt.Sprintf("%d menit", int(d.Minutes()))
			}
			return fmt.Sprintf("%d minutes", int(d.Minutes()))
		}
		if lang == "id" {
			return fmt.Sprintf("%d jam", int(d.Hours()))
		}
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	for _, pr := range ticket.Priorities {
		for _, lang := range []string{"id", "en"} {
			row := fmt.Sprintf("%s · %s · %s", i18n.Label(i18n.Lang(lang), "ticket_priority", string(pr)), dur(lang, sla[pr].FirstResponse), dur(lang, sla[pr].Resolution))
			must("sla-penanganan-keluhan", lang, row)
		}
	}
	// Survey scales as the surveys function validates them.
	must("survei-kepuasan", "id", "1–5", "1–7", "0–10", "2.000 karakter")
	must("survei-kepuasan", "en", "1 to 5", "1 to 7", "0 to 10", "2,000 characters")
	// Payment methods and e-wallets are the ones orders and refunds accept.
	for _, m := range []string{"bank_transfer", "virtual_account", "ewallet", "qris", "card", "cod", "paylater"} {
		must("metode-pembayaran", "id", i18n.Label(i18n.Indonesian, "payment_method", m))
		must("metode-pembayaran", "en", i18n.Label(i18n.English, "payment_method", m))
	}
	for _, w := range []string{"gopay", "ovo", "dana", "shopeepay", "linkaja"} {
		must("refund-pesanan-cod", "id", i18n.Label(i18n.Indonesian, "ewallet_provider", w))
	}
}
