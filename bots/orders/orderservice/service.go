// Package orderservice is a small order system with an HTTP JSON API, served
// from embedded sample data: what the orders bot calls as a real deployment
// would call its shop's order service.
//
//	GET  /orders/{id}?phone=+8613812345678   the order, if the phone matches
//	POST /orders/{id}/refunds                 {"phone": "...", "reason": "..."} → a refund request;
//	                                          409 {"error": "...", "status": "refunded"} when the order cannot be refunded
package orderservice

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

//go:embed orders.json
var sample []byte

// Order is one order.
type Order struct {
	ID       string  `json:"id"`
	Phone    string  `json:"phone"`
	Status   string  `json:"status"` // paid, shipped, delivered, refunded, cancelled
	Carrier  string  `json:"carrier"`
	Tracking string  `json:"tracking"`
	Items    []Item  `json:"items"`
	Total    float64 `json:"total"`
	PlacedAt string  `json:"placed_at"`
	ETA      string  `json:"eta"`
}

// Item is one line of an order.
type Item struct {
	Name  string  `json:"name"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}

// Refund is a refund request.
type Refund struct {
	ID      string `json:"id"`
	OrderID string `json:"order_id"`
	Reason  string `json:"reason"`
	Status  string `json:"status"` // pending
}

// Service holds the orders and the refunds requested.
type Service struct {
	mu      sync.Mutex
	orders  map[string]*Order
	refunds map[string]*Refund // by order ID
}

// New loads the embedded sample orders.
func New() (*Service, error) {
	var list []*Order
	if err := json.Unmarshal(sample, &list); err != nil {
		return nil, fmt.Errorf("sample orders: %w", err)
	}
	s := &Service{orders: map[string]*Order{}, refunds: map[string]*Refund{}}
	for _, o := range list {
		s.orders[o.ID] = o
	}
	return s, nil
}

// Handler is the service's HTTP API.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", s.getOrder)
	mux.HandleFunc("POST /orders/{id}/refunds", s.requestRefund)
	return mux
}

// Start serves the API on a free loopback port until Close.
func (s *Service) Start() (url string, closeFn func() error, err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l)
	return "http://" + l.Addr().String(), srv.Close, nil
}

// ErrNotFound is answered as 404: no order with that ID and phone. The two
// are checked together so that an order's details never go to a stranger.
var ErrNotFound = errors.New("no such order")

func (s *Service) find(id, phone string) (*Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok || o.Phone != phone {
		return nil, ErrNotFound
	}
	copy := *o
	return &copy, nil
}

func (s *Service) getOrder(w http.ResponseWriter, r *http.Request) {
	o, err := s.find(r.PathValue("id"), r.URL.Query().Get("phone"))
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (s *Service) requestRefund(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Phone  string `json:"phone"`
		Reason string `json:"reason"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be JSON: " + err.Error()})
		return
	}
	o, err := s.find(r.PathValue("id"), req.Phone)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
		return
	}
	switch o.Status {
	case "refunded", "cancelled":
		writeJSON(w, http.StatusConflict, map[string]string{"error": "order is " + o.Status, "status": o.Status})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, ok := s.refunds[o.ID]
	if !ok { // asking twice is one request
		ref = &Refund{ID: "RF" + o.ID, OrderID: o.ID, Reason: req.Reason, Status: "pending"}
		s.refunds[o.ID] = ref
	}
	writeJSON(w, http.StatusCreated, ref)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
