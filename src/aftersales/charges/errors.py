from enum import StrEnum


class ChargeError(StrEnum):
    INVALID = "charges_invalid"  # a field is missing, too long or unknown
    NO_PRICE_LIST = "no_price_list"  # no active price list for the currency on the work order's date
    PRICE_MISSING = "price_missing"  # no labour rate / visit fee on the list, or a part priced in another currency
    NOT_PAID_WORK = "quote_not_paid_work"  # only paid (class A) work is quoted
    WORK_ORDER_CLOSED = "work_order_closed"  # completed, archived or cancelled: nothing new is charged
    QUOTE_DRAFT_EXISTS = "quote_draft_exists"  # finish or withdraw the draft first
    QUOTE_NOT_DRAFT = "quote_not_draft"  # lines change only while the quote is a draft
    QUOTE_EMPTY = "quote_empty"  # a quote is sent with at least one line
    QUOTE_NOT_SENT = "quote_not_open"  # only a sent quote is accepted or declined (also: decided already)
    QUOTE_EXPIRED = "quote_expired"  # past its valid-until date
    QUOTE_NOT_WITHDRAWABLE = "quote_not_withdrawable"  # declined, withdrawn and expired quotes stay as they are
    QUOTE_NOT_ACCEPTED = "quote_not_accepted"  # paid work needs the customer's agreement first
    QUOTE_UNDECIDED = "quote_undecided"  # the customer has not answered the latest quote yet
    NAME_REQUIRED = "name_required"  # an acceptance or refusal on the spot names the person
    LINE_KIND_INVALID = "quote_line_kind_invalid"
    QUANTITY_INVALID = "quantity_invalid"
    AMOUNT_INVALID = "amount_invalid"  # not a positive amount in the currency's minor units, or too large
    TOO_MANY_LINES = "quote_too_many_lines"
    PART_INVALID = "part_invalid"  # unknown or inactive part
    NO_INVOICE_FOR_CLASS = "no_invoice_for_warranty_or_internal_work"  # classes C and D are never invoiced
    CONTRACT_WORK = "contract_work_not_invoiced"  # class B draws on the service contract instead
    INVOICE_EXISTS = "invoice_exists"  # at most one live (not void) invoice per work order
    NOTHING_TO_INVOICE = "nothing_to_invoice"
    INVOICE_VOID = "invoice_void"
    INVOICE_HAS_PAYMENTS = "invoice_has_payments"  # a paid invoice is not voided here
    REASON_REQUIRED = "reason_required"
    PAYMENT_METHOD_INVALID = "payment_method_invalid"
    PAYMENT_EXCEEDS_BALANCE = "payment_exceeds_balance"
    NOT_CONTRACT_WORK = "contract_class_b_only"  # only class B work draws on a service contract
    CONTRACT_NOT_APPLICABLE = "contract_not_applicable"  # another customer's, inactive or out of period
    QUOTA_KIND_INVALID = "contract_quota_kind_invalid"  # the contract has no quota of that kind
    QUOTA_EXHAUSTED = "contract_quota_exhausted"
    DRAW_NOT_REVERSIBLE = "contract_draw_not_reversible"  # a reversal, or reversed already
    QUOTA_BELOW_USED = "contract_quota_below_used"  # a quota cannot be cut below what has been drawn
    PRICE_LIST_INVALID = "price_list_invalid"
