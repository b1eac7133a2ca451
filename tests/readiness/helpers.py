"""Figures shared by the readiness tests: a year that passes every 2026 check."""

from decimal import Decimal

from readiness.models import FinancialYear

HEALTHY = {
    "total_assets": Decimal(1000),
    "total_liabilities": Decimal(500),
    "cash": Decimal(100),
    "current_assets": Decimal(400),
    "current_liabilities": Decimal(300),
    "operating_cash_flow": Decimal(80),
    "revenue": Decimal(2000),
    "operating_profit": Decimal(60),
    "net_profit": Decimal(50),
    "gross_profit": Decimal(300),
    "audit_opinion": "unqualified",
}


def healthy_years(enterprise, years, **changes) -> None:
    for year in years:
        FinancialYear.objects.create(enterprise=enterprise, year=year, **(HEALTHY | changes))
