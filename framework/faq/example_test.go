package faq_test

import (
	"fmt"

	"github.com/fsmbot/fsmbot/framework/faq"
)

func ExampleIndex_Search() {
	kb, err := faq.LoadYAML("shop.yaml", []byte(`
synonyms:
  - [退款, 退钱, refund]
entries:
  - id: refund_time
    question: 退款多久到账？
    phrasings: [钱什么时候退回来, 退款几天能到]
    keywords: [到账]
    answer: 退款按原支付方式退回，一般1–7个工作日到账。
  - id: return_time
    question: 退货多久到账？
    phrasings: [退货以后多久收到钱]
    answer: 仓库签收退货后1–2个工作日内发起退款。
  - id: invoice
    question: 怎么开发票？
    phrasings: [发票抬头怎么填]
    keywords: [开票]
    answer: 下单时在结算页选择「开具发票」。
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	ix := faq.NewIndex(kb, faq.Options{})
	for _, q := range []string{
		"退錢要幾天？",    // Traditional, and a synonym
		"refnd还没到账", // a typo in English
		"可以开票吗",     // a keyword
		"退的钱多久到",    // two entries fit as well: suggest both
		"今天天气怎么样",   // not the shop's business
	} {
		r := ix.Search(q)
		switch r.Decision {
		case faq.Answer:
			fmt.Printf("%s → %s: %s\n", q, r.Best.ID, r.Best.Answer[0].Text)
		case faq.Suggest:
			fmt.Printf("%s → 您是想问：", q)
			for i, e := range r.Suggestions() {
				fmt.Printf(" %d. %s", i+1, e.Question)
			}
			fmt.Println()
		case faq.None:
			fmt.Printf("%s → 抱歉，这个问题我还不会\n", q)
		}
	}
	// Output:
	// 退錢要幾天？ → refund_time: 退款按原支付方式退回，一般1–7个工作日到账。
	// refnd还没到账 → refund_time: 退款按原支付方式退回，一般1–7个工作日到账。
	// 可以开票吗 → invoice: 下单时在结算页选择「开具发票」。
	// 退的钱多久到 → 您是想问： 1. 退款多久到账？ 2. 退货多久到账？
	// 今天天气怎么样 → 抱歉，这个问题我还不会
}
