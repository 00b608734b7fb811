#!/usr/bin/env bash
# Builds a whole catalog for org `acme` from nothing, with `volmify` commands only, and checks
# every step's JSON output (issue 4's closing test; tests/cli/test_build_catalog_script.py runs it
# on SQLite and PostgreSQL).
#
# Needs VOLMIFY_DATABASE_URL (and VOLMIFY_HOME, so no real config is read) in the environment, and
# `volmify` and `python3` on PATH. Exits non-zero, naming the step, on the first mismatch.
set -euo pipefail

: "${VOLMIFY_DATABASE_URL:?set VOLMIFY_DATABASE_URL to the database to build the catalog in}"
command -v volmify >/dev/null || { echo "volmify is not on PATH" >&2; exit 127; }
export VOLMIFY_ORG=acme
unset VOLMIFY_FORMAT VOLMIFY_LOCALE

trap 'echo "build_catalog.sh: line $LINENO: command failed: $BASH_COMMAND" >&2' ERR

out=""

# run ARGS...: run volmify with JSON output; its stdout is kept in $out.
run() {
    out=$(volmify "$@" --format json)
}

# expect EXPR...: each Python expression must be true of the last output, parsed as `d`.
CHECK_PY='
import json, sys
d = json.loads(sys.stdin.read())
for expr in sys.argv[1:]:
    if not eval(expr, {"d": d}):
        shown = json.dumps(d, indent=1, ensure_ascii=False)
        sys.exit(f"expected: {expr}\noutput was:\n{shown[:3000]}")
'
expect() {
    python3 -c "$CHECK_PY" "$@" <<<"$out" || {
        echo "check failed after step: ${last_step:-?}" >&2
        exit 1
    }
}

# fails CODE WORDS ARGS...: volmify ARGS must exit exactly CODE, with WORDS on stderr and no
# traceback; nothing on stdout.
fails() {
    local code=$1 words=$2 rc err
    shift 2
    set +e
    err=$(volmify "$@" --format json 2>&1 >/dev/null)
    rc=$?
    set -e
    if [ "$rc" != "$code" ]; then
        echo "expected exit $code, got $rc: volmify $*" >&2
        echo "$err" >&2
        exit 1
    fi
    case "$err" in
        *Traceback*) echo "traceback from: volmify $*" >&2; echo "$err" >&2; exit 1 ;;
        *"$words"*) ;;
        *) echo "stderr of 'volmify $*' lacks '$words':" >&2; echo "$err" >&2; exit 1 ;;
    esac
}

step() { last_step="$*"; echo "== $*" >&2; }

step "schema"
volmify db upgrade >/dev/null
run db status
expect 'd["up_to_date"] is True' 'd["pending"] == []'

step "organization and its locales"
run orgs create acme --name "Acme Learning" --locale en-US --currency USD
expect 'd["slug"] == "acme"' 'd["default_locale"] == "en-US"' 'd["default_currency"] == "USD"'
run orgs locales add ar-EG de-DE
expect '[x["key"] for x in d] == ["en-US", "ar-EG", "de-DE"]' \
       '[x["direction"] for x in d] == ["ltr", "rtl", "ltr"]' \
       '[x["is_default"] for x in d] == [True, False, False]'
fails 1 "already exists" orgs create acme --name "Acme again"

step "brands with translated names"
run orgs brands create academy --name "Acme Academy" --description "Courses by Acme"
expect 'd["slug"] == "academy"' 'd["name"] == "Acme Academy"'
run orgs brands update academy --name "أكاديمية أكمي" --locale ar-EG
run orgs brands update academy --name "Acme Akademie" --locale de-DE
run orgs brands create press --name "Acme Press"
run orgs brands show academy --locale ar-EG
expect 'd["name"] == "أكاديمية أكمي"' \
       'd["translations"]["en-US"]["name"] == "Acme Academy"' \
       'd["translations"]["de-DE"]["name"] == "Acme Akademie"' \
       'list(d["translations"])[0] == "en-US"'
run orgs brands show academy --locale de-AT
expect 'd["name"] == "Acme Akademie"'

step "instructors and affiliations"
run instructors create jane-doe --user jane@example.com --name "Jane Doe" --title "Data scientist"
expect 'd["slug"] == "jane-doe"' 'd["email"] == "jane@example.com"' 'd["affiliations"] == []'
run instructors create max-roe --user max@example.com --name "Max Roe"
run instructors affiliate jane-doe --org acme --share 40% --type contractor
expect 'd["share_bp"] == 4000' 'd["type"] == "contractor"' 'd["status"] == "active"'
run instructors affiliate max-roe --org acme --share 10 --type employee
expect 'd["share_bp"] == 1000' 'd["type"] == "employee"'
run instructors list --org acme
expect '[i["slug"] for i in d] == ["jane-doe", "max-roe"]'

step "markets of several types and currencies"
run markets create us --name "United States" --type single-country --currency USD --country US \
    --locale en-US --brand academy --domain academy.acme.example --default
expect 'd["type"] == "single_country"' 'd["currency"] == "USD"' 'd["brand"] == "academy"' \
       'd["domain"] == "academy.acme.example"' 'd["is_default"] is True'
run markets create eu --name Europe --type multi_region --currency EUR --country DE --country FR \
    --country AT:de-DE --locale en-US --locale de-DE
expect 'd["type"] == "multi_region"' \
       'd["countries"] == [{"country": "DE", "locale": None}, {"country": "FR", "locale": None}, {"country": "AT", "locale": "de-DE"}]' \
       'd["locales"] == ["en-US", "de-DE"]' 'd["is_default"] is False'
run markets create jp --name Japan --type custom --currency JPY --country JP
expect 'd["currency"] == "JPY"' 'd["locales"] == ["en-US"]'
run markets create gulf --name Gulf --type economic --currency KWD --country KW --country EG:ar-EG \
    --locale ar-EG --locale en-US --brand academy
expect 'd["default_locale"] == "ar-EG"' 'd["currency"] == "KWD"'
fails 1 "fr-FR" markets create fr --name France --type single-country --currency EUR --locale fr-FR
run markets list
expect '[(m["slug"], m["type"], m["currency"]) for m in d] == [("eu", "multi_region", "EUR"), ("gulf", "economic", "KWD"), ("jp", "custom", "JPY"), ("us", "single_country", "USD")]' \
       '[m["slug"] for m in d if m["is_default"]] == ["us"]'

step "products of all four types"
run products create python-101 --type course --title "Python 101" --brand academy --status active \
    --level beginner --difficulty 3 --description "An introduction to Python."
expect 'd["type"] == "course"' 'd["status"] == "active"' \
       'd["details"] == {"level": "beginner", "difficulty": 3, "estimated_minutes": None}' \
       '[(b["slug"], b["is_primary"]) for b in d["brands"]] == [("academy", True)]' \
       '[v["slug"] for v in d["variants"]] == ["standard"]'
run products update python-101 --title "بايثون ١٠١" --locale ar-EG
expect 'd["titles"] == {"en-US": "Python 101", "ar-EG": "بايثون ١٠١"}'
run products create ebook --type digital --title "The Python Book" --brand press \
    --file-url https://cdn.acme.example/python.pdf --file-size 1048576 --download-limit 5
expect 'd["status"] == "draft"' \
       'd["details"] == {"file_url": "https://cdn.acme.example/python.pdf", "file_size_bytes": 1048576, "download_limit": 5}'
run products create mug --type physical --title "Acme mug" --sku MUG-1 --weight-grams 350
expect 'd["details"] == {"sku": "MUG-1", "weight_grams": 350, "requires_shipping": True}'
run products create coaching --type service --title "Coaching" --duration-minutes 60 \
    --delivery-mode hybrid --status active
expect 'd["details"] == {"duration_minutes": 60, "delivery_mode": "hybrid"}'
fails 2 "" products create bad --type ebook --title Bad

step "variants"
run products variants add python-101 team --name "Team licence"
expect 'd["slug"] == "team"' 'd["is_default"] is False' 'd["name"] == "Team licence"'
run products variants add mug blue --name "Blue mug"
run products variants list python-101
expect '[(v["slug"], v["is_default"]) for v in d] == [("standard", True), ("team", False)]'

step "attribution: instructors and brands"
run products attribute python-101 --instructor jane-doe --primary
expect '[(i["slug"], i["share_bp"], i["is_primary"]) for i in d["instructors"]] == [("jane-doe", 4000, True)]'
run products attribute python-101 --instructor max-roe --share 15.5%
run products attribute python-101 --brand academy --share 10%
expect 'd["total_share_bp"] == 6550' 'd["org_share_bp"] == 3450' \
       '[(b["slug"], b["share_bp"]) for b in d["brands"]] == [("academy", 1000)]'
fails 1 "" products attribute python-101 --brand academy --share 50%
run products attribute ebook --instructor max-roe --share 20 --primary
run products attribute ebook --brand press --share 5%
expect 'd["total_share_bp"] == 2500' 'd["org_share_bp"] == 7500'

step "plans of every type, with prices"
run plans create python-101 basic --type one-time --tier 1 --price us=49 --price eu=45.00 \
    --price jp=6500 --price gulf=15.250 --compare-at us=59 --duration-days 365 --default --name Basic
expect 'd["plan"] == "python-101/standard/basic"' 'd["type"] == "one_time"' 'd["tier"] == 1' \
       '{p["market"]: (p["currency"], p["amount_minor"], p["amount"]) for p in d["prices"]} == {"us": ("USD", 4900, "49.00"), "eu": ("EUR", 4500, "45.00"), "jp": ("JPY", 6500, "6500"), "gulf": ("KWD", 15250, "15.250")}' \
       '[p["compare_at_minor"] for p in d["prices"] if p["market"] == "us"] == [5900]' \
       'd["details"]["duration_days"] == 365'
run plans create python-101/team monthly --type subscription --tier 2 --interval month \
    --trial-days 14 --price us=19.99 --price eu=17.99 --setup-fee us=5 --setup-fee eu=4.50
expect 'd["details"] == {"interval": "month", "interval_count": 1, "trial_days": 14}' \
       '{p["market"]: (p["amount_minor"], p["setup_fee_minor"]) for p in d["prices"]} == {"us": (1999, 500), "eu": (1799, 450)}'
run plans create python-101 vip --type subscription --tier 3 --interval year --price us=199 \
    --price jp=25000 --price gulf=60.5 --compare-at gulf=75 --featured
expect '{p["market"]: (p["amount_minor"], p["compare_at_minor"]) for p in d["prices"]} == {"us": (19900, None), "jp": (25000, None), "gulf": (60500, 75000)}' \
       'd["is_featured"] is True'
run plans create python-101 api --type usage-based --tier 1 --unit "api call" --included-units 100 \
    --pricing-model tiered --interval month --price us=0 --price jp=0 \
    --usage-tier us=1000:0.05 --usage-tier us=inf:0.02 --usage-tier jp=1000:5 --usage-tier jp=inf:2
expect 'd["type"] == "usage_based"' 'd["details"]["pricing_model"] == "tiered"' \
       'd["details"]["included_units"] == 100' \
       '[(t["market"], t["up_to"], t["unit_amount"]) for t in d["usage_tiers"]] == [("jp", 1000, "5"), ("jp", None, "2"), ("us", 1000, "0.05"), ("us", None, "0.02")]'
run plans create ebook download --type one-time --tier 1 --price us=9.99 --price eu=8.99 \
    --price jp=1200 --price gulf=3.125
run plans create mug/blue buy --type one-time --tier 1 --price us=12 --price eu=11:EUR
expect '{p["market"]: p["amount_minor"] for p in d["prices"]} == {"us": 1200, "eu": 1100}'
run plans create coaching hours --type usage-based --tier 1 --unit hour --pricing-model volume \
    --price us=0 --usage-tier us=10:80 --usage-tier us=inf:70
fails 1 "10.5" plans create python-101 yen --type one-time --tier 1 --price jp=10.5
fails 1 "" plans create python-101 cheap --type one-time --tier 1 --price us=50 --compare-at us=40
run plans list python-101
expect 'sorted((p["plan"], p["tier"]) for p in d) == [("python-101/standard/api", 1), ("python-101/standard/basic", 1), ("python-101/standard/vip", 3), ("python-101/team/monthly", 2)]' \
       'all(p["prices"] for p in d)'

step "collections"
run collections create bestsellers --name Bestsellers --product python-101 --product ebook
run collections add bestsellers mug coaching
expect '[p["slug"] for p in d["products"]] == ["python-101", "ebook", "mug", "coaching"]'
run collections remove bestsellers mug coaching
expect '[p["slug"] for p in d["products"]] == ["python-101", "ebook"]'
run collections create gifts --name Gifts --product mug

step "offers, coupons and a promotion"
run offers create spring --type percentage --percent 25 --starts 2026-03-01 --ends 2026-03-31 \
    --product python-101 --name "Spring sale"
expect 'd["percent_bp"] == 2500' 'd["automatic"] is True' 'd["targets"]["products"] == ["python-101"]'
run offers create welcome --type fixed-amount --amount 5 --currency USD --coupon WELCOME5 \
    --usage-limit 100
expect 'd["amount_minor"] == 500' 'd["automatic"] is False' 'd["coupons"] == ["WELCOME5"]'
run offers coupons add welcome hello5 --ends 2026-12-31
expect '[(c["code"], c["ends"]) for c in d] == [("hello5", "2026-12-31")]'
run offers create bundle --type percentage --percent 12.5% --collection bestsellers
expect 'd["percent_bp"] == 1250' 'd["targets"]["collections"] == ["bestsellers"]'
run offers create gulf10 --type percentage --percent 10 --market gulf --coupon GULF10
# A promotion's offers are usable only while it runs (issue 20): this one runs to 2027's end.
run offers promotions create launch --name "Launch" --offer spring --offer welcome \
    --starts 2026-03-01 --ends 2027-12-31
expect 'd["offers"] == ["spring", "welcome"]'
fails 1 "" offers create late --type percentage --percent 10 --starts 2026-04-01 --ends 2026-03-01

step "final prices (plans price)"
# A draft is not for sale: the e-book and the mug go on sale first.
fails 1 "its product ebook is a draft" plans price ebook/download --market jp --at 2026-05-01
run products update ebook --status active
expect 'd["status"] == "active"'
run products update mug --status active
expect 'd["status"] == "active"'
# 25% of 49.00 = 12.25 beats the bundle's 12.5% (6.125 -> 6.13): one offer, never a sum.
run plans price python-101/basic --market us --at 2026-03-15
expect 'd["offer"] == "spring"' 'd["discount_minor"] == 1225' 'd["final_price_minor"] == 3675' \
       'd["final_price"] == "36.75"' 'len(d["applicable"]) == 2'
# April: the bundle's 12.5% (613, half-up) beats WELCOME5's 5.00.
run plans price python-101/basic --market us --at 2026-04-15 --coupon welcome5
expect 'd["offer"] == "bundle"' 'd["discount_minor"] == 613' 'd["final_price_minor"] == 4287' \
       'd["coupon"] == "WELCOME5"'
# KWD, three decimals: 25% of 15.250 = 3.8125 -> 3.813.
run plans price python-101/basic --market gulf --at 2026-03-15 --coupon GULF10
expect 'd["currency"] == "KWD"' 'd["offer"] == "spring"' 'd["discount_minor"] == 3813' \
       'd["final_price_minor"] == 11437' 'd["final_price"] == "11.437"'
# JPY, no decimals: 12.5% of 1200 = 150.
run plans price ebook/download --market jp --at 2026-05-01
expect 'd["offer"] == "bundle"' 'd["final_price_minor"] == 1050' 'd["final_price"] == "1050"'
# A coupon in USD does not apply to a price in EUR: the quote says why.
run plans price python-101/team/monthly --market eu --at 2026-05-01 --coupon WELCOME5
expect 'd["offer"] == "bundle"' 'd["discount_minor"] == 225' 'd["final_price_minor"] == 1574' \
       '"EUR" in d["coupon_note"]'
# An expired coupon: no discount from it, and a note.
run plans price mug/blue/buy --market us --at 2027-01-05 --coupon HELLO5
expect 'd["discount_minor"] == 0' 'd["final_price_minor"] == 1200' '"2026-12-31" in d["coupon_note"]'
fails 1 "no price in market" plans price python-101/team/monthly --market jp
# After its promotion: WELCOME5 is refused, naming the promotion and its window.
fails 1 "promotion 'launch', which runs 2026-03-01..2027-12-31" \
    plans price mug/blue/buy --market us --at 2028-01-05 --coupon WELCOME5
fails 1 "not found" plans price python-101/basic --market us --coupon NOPE

step "the whole catalog"
run products show python-101 --locale ar-EG
expect 'd["title"] == "بايثون ١٠١"' 'd["org_share_bp"] == 3450' \
       '[v["slug"] for v in d["variants"]] == ["standard", "team"]' 'len(d["plans"]) == 4'
run products list
expect 'sorted(p["slug"] for p in d) == ["coaching", "ebook", "mug", "python-101"]'
run collections list
expect 'sorted(c["slug"] for c in d) == ["bestsellers", "gifts"]'

step "the catalog as a file: export, validate, diff"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
volmify catalog export -o "$work/catalog.yaml" 2>/dev/null
volmify catalog validate "$work/catalog.yaml" >/dev/null 2>&1
run catalog diff "$work/catalog.yaml" --detailed-exitcode
expect 'd["created"] == d["updated"] == d["deleted"] == 0' 'd["unchanged"] > 50'
sed 's/amount: "49.00"/amount: "48.00"/' "$work/catalog.yaml" >"$work/cheaper.yaml"
fails 5 "changes pending" catalog diff "$work/cheaper.yaml" --detailed-exitcode
echo "catalog of org acme built and checked" >&2
