package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fsmbot/fsmbot/bots/orders/orderservice"
	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/cli"
	"github.com/fsmbot/fsmbot/statecharts"
)

// client calls the shop's order service.
type client struct {
	base string
	http *http.Client
}

func newClient(base string) *client {
	return &client{base: base, http: &http.Client{Timeout: 3 * time.Second}}
}

// errNotFound: no order with that number and phone.
var errNotFound = errors.New("order not found")

func (c *client) order(ctx context.Context, id, phone string) (*orderservice.Order, error) {
	u := c.base + "/orders/" + url.PathEscape(id) + "?phone=" + url.QueryEscape(phone)
	var o orderservice.Order
	return &o, c.do(ctx, http.MethodGet, u, nil, &o)
}

func (c *client) requestRefund(ctx context.Context, id, phone, reason string) (*orderservice.Refund, error) {
	body, _ := json.Marshal(map[string]string{"phone": phone, "reason": reason})
	var r orderservice.Refund
	return &r, c.do(ctx, http.MethodPost, c.base+"/orders/"+url.PathEscape(id)+"/refunds", body, &r)
}

func (c *client) do(ctx context.Context, method, u string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("order service: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return errNotFound
	case resp.StatusCode == http.StatusConflict:
		var e struct{ Error, Status string }
		if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
			return fmt.Errorf("order service: refusal: %w", err)
		}
		return &refusedError{reason: e.Error, status: e.Status}
	case resp.StatusCode >= 300:
		return fmt.Errorf("order service answered %s", resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// refusedError: the service understood and said no (a refunded order).
type refusedError struct{ reason, status string }

func (e *refusedError) Error() string { return "refused: " + e.reason }

var statusText = map[string]string{
	"paid":      "已付款，等待发货",
	"shipped":   "已发货，运输中",
	"delivered": "已签收",
	"refunded":  "已退款",
	"cancelled": "已取消",
}

// handlers are the Go code the orders chart calls by name. A lookup that
// finds nothing is an answer, not an error: it sets found=no and the chart
// says so; only a broken order service is an error (the chart's error reply).
func handlers(c *client) map[string]framework.Handler {
	return map[string]framework.Handler{
		"lookup_order": func(ctx context.Context, t *framework.Turn) error {
			o, err := c.order(ctx, t.Vars["order"], t.Vars["phone"])
			if errors.Is(err, errNotFound) {
				t.Set("found", "no")
				return nil
			}
			if err != nil {
				return err
			}
			names := make([]string, len(o.Items))
			for i, it := range o.Items {
				names[i] = fmt.Sprintf("%s ×%d", it.Name, it.Qty)
			}
			t.Set("found", "yes")
			t.Set("status", o.Status)
			t.Set("status_text", statusText[o.Status])
			t.Set("items", strings.Join(names, "、"))
			t.Set("total", fmt.Sprintf("%.2f", o.Total))
			t.Set("carrier", o.Carrier)
			t.Set("tracking", o.Tracking)
			t.Set("eta", o.ETA)
			return nil
		},
		"submit_refund": func(ctx context.Context, t *framework.Turn) error {
			r, err := c.requestRefund(ctx, t.Vars["order"], t.Vars["phone"], t.Vars["reason"])
			var refused *refusedError
			switch {
			case errors.Is(err, errNotFound):
				t.Set("refund", "not_found")
			case errors.As(err, &refused):
				t.Set("refund", "refused")
				t.Set("status", refused.status)
				t.Set("status_text", statusText[refused.status])
			case err != nil:
				return err
			default:
				t.Set("refund", "submitted")
				t.Set("refund_id", r.ID)
			}
			return nil
		},
	}
}

// newApp starts the sample order service and returns the bot's command line.
func newApp() (cli.App, error) {
	svc, err := orderservice.New()
	if err != nil {
		return cli.App{}, err
	}
	url, _, err := svc.Start() // lives as long as the process
	if err != nil {
		return cli.App{}, fmt.Errorf("start the order service: %w", err)
	}
	return cli.App{Name: "orders", Charts: statecharts.FS, Chart: "orders.yaml", Handlers: handlers(newClient(url))}, nil
}
