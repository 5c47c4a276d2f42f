package framework

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SlotType decides what a form's slot accepts and how its value is stored.
type SlotType string

// The slot types. Values are stored in a canonical form, whatever way the
// customer wrote them.
const (
	SlotText    SlotType = "text"    // any non-empty text, trimmed
	SlotNumber  SlotType = "number"  // "3", "2.5", "1,299", "三", "两百" → "3", "2.5", "1299", "3", "200"
	SlotInteger SlotType = "integer" // a number without a fraction
	SlotEmail   SlotType = "email"   // "Name@Example.com" → "name@example.com"
	SlotPhone   SlotType = "phone"   // mainland China, Taiwan or international, in E.164: "+8613812345678"
	SlotDate    SlotType = "date"    // 今天, 明天, 后天, 下周一, 周五, 12月1日, 2026-12-01 → "2026-12-01"
	SlotChoice  SlotType = "choice"  // one of Choices, by value, synonym or number → the value
	SlotRegex   SlotType = "regex"   // Pattern's first named group, or its whole match
)

func newSlotParser(s Slot) (*slotParser, error) {
	p := &slotParser{slot: s}
	if s.Type == "" {
		s.Type = SlotText
		p.slot.Type = SlotText
	}
	switch s.Type {
	case SlotText:
		p.invalid = "请输入内容。"
		p.accept = func(t *Turn) (string, bool) {
			v := strings.TrimSpace(t.Text)
			return v, v != ""
		}
	case SlotNumber, SlotInteger:
		p.invalid = "请输入一个数字。"
		if s.Type == SlotInteger {
			p.invalid = "请输入一个整数。"
		}
		p.accept = func(t *Turn) (string, bool) {
			v, ok := parseNumber(t.Normalized())
			if !ok || s.Type == SlotInteger && v != float64(int64(v)) {
				return "", false
			}
			return strconv.FormatFloat(v, 'f', -1, 64), true
		}
	case SlotEmail:
		p.invalid = "这看起来不是有效的邮箱地址，请重新输入（例如 name@example.com）。"
		p.accept = func(t *Turn) (string, bool) {
			v := emailRE.FindString(t.Normalized())
			return v, v != ""
		}
	case SlotPhone:
		p.invalid = "这看起来不是有效的手机号码，请重新输入（例如 13812345678）。"
		p.accept = func(t *Turn) (string, bool) { return parsePhone(t.Normalized()) }
	case SlotDate:
		p.invalid = "没看懂这个日期，请换个说法（例如 明天、下周一、12月1日 或 2026-12-01）。"
		p.accept = func(t *Turn) (string, bool) {
			d, ok := parseDate(t.Normalized(), t.bot.now().In(t.bot.location))
			if !ok {
				return "", false
			}
			return d.Format(time.DateOnly), true
		}
	case SlotChoice:
		if len(s.Choices) == 0 {
			return nil, fmt.Errorf("a choice slot needs choices")
		}
		var list []string
		words := map[string]string{} // normalized word → value
		for i, c := range s.Choices {
			if c.Value == "" {
				return nil, fmt.Errorf("choice %d has no value", i+1)
			}
			list = append(list, fmt.Sprintf("%d. %s", i+1, c.Value))
			words[strconv.Itoa(i+1)] = c.Value
			for _, w := range append([]string{c.Value}, c.Synonyms...) {
				words[NormalizeWord(MatchExact, w)] = c.Value
			}
		}
		p.invalid = "请从以下选项中选择（回复编号或名称）：\n" + strings.Join(list, "\n")
		p.accept = func(t *Turn) (string, bool) {
			text := trimPunct(t.Normalized())
			text = strings.TrimSuffix(strings.TrimPrefix(text, "第"), "个")
			if n, ok := chineseNumber(text); ok && n >= 1 && int(n) <= len(s.Choices) && n == float64(int(n)) {
				text = strconv.Itoa(int(n))
			}
			v, ok := words[text]
			return v, ok
		}
	case SlotRegex:
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			return nil, fmt.Errorf("pattern %q does not compile: %v", s.Pattern, err)
		}
		if s.Pattern == "" {
			return nil, fmt.Errorf("a regex slot needs a pattern")
		}
		group := 0
		for i, n := range re.SubexpNames() {
			if n != "" {
				group = i
				break
			}
		}
		p.invalid = "格式不对，请重新输入。"
		p.accept = func(t *Turn) (string, bool) {
			m := re.FindStringSubmatch(t.Normalized())
			if m == nil || m[group] == "" {
				return "", false
			}
			return m[group], true
		}
	default:
		return nil, fmt.Errorf("unknown slot type %q (use text, number, integer, email, phone, date, choice or regex)", s.Type)
	}
	return p, nil
}

var (
	emailRE  = regexp.MustCompile(`[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	numberRE = regexp.MustCompile(`-?\d[\d,]*(\.\d+)?`)
	cnNumRE  = regexp.MustCompile(`[零〇一二两三四五六七八九十百千万]+`)
)

// parseNumber finds the first number in text: digits, or Chinese numerals.
func parseNumber(text string) (float64, bool) {
	if s := numberRE.FindString(text); s != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		return v, err == nil
	}
	if s := cnNumRE.FindString(text); s != "" {
		return chineseNumber(s)
	}
	return 0, false
}

// chineseNumber reads digits or Chinese numerals up to the ten thousands:
// 三, 十二, 二十, 一百零五, 两千三百, 3.
func chineseNumber(s string) (float64, bool) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v, true
	}
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	units := map[rune]int{'十': 10, '百': 100, '千': 1000, '万': 10000}
	total, section, digit := 0, 0, -1
	if s == "" {
		return 0, false
	}
	for _, r := range s {
		if d, ok := digits[r]; ok {
			digit = d
			continue
		}
		u, ok := units[r]
		if !ok {
			return 0, false
		}
		if digit < 0 {
			digit = 1 // 十二: the ten stands alone
		}
		if u == 10000 {
			total += (section + digit%10) * u
			section, digit = 0, -1
			continue
		}
		section += digit * u
		digit = -1
	}
	if digit > 0 {
		section += digit
	}
	return float64(total + section), true
}

var (
	phoneSeparators = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "")
	mainlandRE      = regexp.MustCompile(`(?:^|\D)(?:\+?86)?(1[3-9]\d{9})(?:\D|$)`)
	taiwanRE        = regexp.MustCompile(`(?:^|\D)(?:\+?886|0)(9\d{8})(?:\D|$)`)
	internationalRE = regexp.MustCompile(`(?:^|[^\d+])\+(\d{7,15})(?:\D|$)`)
)

// parsePhone accepts mainland China mobiles (13812345678, +86 138 1234 5678),
// Taiwan mobiles (0912-345-678, +886 912 345 678) and international numbers
// written with + and a country code, and returns them in E.164.
func parsePhone(text string) (string, bool) {
	s := phoneSeparators.Replace(text)
	if m := mainlandRE.FindStringSubmatch(s); m != nil {
		return "+86" + m[1], true
	}
	if m := taiwanRE.FindStringSubmatch(s); m != nil {
		return "+886" + m[1], true
	}
	if m := internationalRE.FindStringSubmatch(s); m != nil {
		return "+" + m[1], true
	}
	return "", false
}

var (
	isoDateRE   = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
	monthDayRE  = regexp.MustCompile(`(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?|(\d{1,2})/(\d{1,2})`)
	weekdayRE   = regexp.MustCompile(`(下下|下|这|這|本)?(?:周|週|星期|礼拜|禮拜)([一二三四五六日天1-7])`)
	relativeDay = []struct {
		words  []string
		offset int
	}{
		{[]string{"大后天", "大後天"}, 3},
		{[]string{"前天"}, -2},
		{[]string{"后天", "後天"}, 2},
		{[]string{"明天", "明日", "tomorrow"}, 1},
		{[]string{"今天", "今日", "today"}, 0},
		{[]string{"昨天", "昨日", "yesterday"}, -1},
	}
)

// parseDate reads the dates customers write, relative to now.
func parseDate(text string, now time.Time) (time.Time, bool) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	valid := func(y, m, d int) (time.Time, bool) {
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, now.Location())
		return t, t.Year() == y && int(t.Month()) == m && t.Day() == d
	}
	if m := isoDateRE.FindStringSubmatch(text); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		return valid(y, mo, d)
	}
	if m := monthDayRE.FindStringSubmatch(text); m != nil {
		mo, d := m[1], m[2]
		if mo == "" {
			mo, d = m[3], m[4]
		}
		moN, _ := strconv.Atoi(mo)
		dN, _ := strconv.Atoi(d)
		return valid(now.Year(), moN, dN)
	}
	if m := weekdayRE.FindStringSubmatch(text); m != nil {
		want := strings.Index("一二三四五六日", m[2]) / 3 // runes are 3 bytes
		if m[2] == "天" {
			want = 6
		} else if n, err := strconv.Atoi(m[2]); err == nil {
			want = n - 1
		}
		have := (int(today.Weekday()) + 6) % 7 // Monday = 0
		monday := today.AddDate(0, 0, -have)
		switch m[1] {
		case "下":
			return monday.AddDate(0, 0, 7+want), true
		case "下下":
			return monday.AddDate(0, 0, 14+want), true
		case "这", "這", "本":
			return monday.AddDate(0, 0, want), true
		}
		// A bare weekday is the next one to come, today included.
		return today.AddDate(0, 0, (want-have+7)%7), true
	}
	for _, r := range relativeDay {
		for _, w := range r.words {
			if strings.Contains(text, w) {
				return today.AddDate(0, 0, r.offset), true
			}
		}
	}
	return time.Time{}, false
}
