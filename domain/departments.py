"""The departments that verify an applicant's declared facts (§4(1) 资格审查).

The office asks each of them to check the application; their findings feed E2, E3 (the
"indicators lead the county" judgement), E4 and E7. The economy and information bureau
holds the 亩均效益 grades, so it verifies industrial enterprises only (E6).
"""

from enum import StrEnum


class Department(StrEnum):
    MARKET_SUPERVISION = "market_supervision"
    ECOLOGY_ENVIRONMENT = "ecology_environment"
    EMERGENCY_MANAGEMENT = "emergency_management"
    ECONOMY_INFORMATION = "economy_information"


DEPARTMENT_NAMES: dict[Department, str] = {
    Department.MARKET_SUPERVISION: "县市场监督管理局",
    Department.ECOLOGY_ENVIRONMENT: "市生态环境局庆元分局",
    Department.EMERGENCY_MANAGEMENT: "县应急管理局",
    Department.ECONOMY_INFORMATION: "县经济商务科技局（亩均效益）",
}


def departments_for(industrial: bool) -> list[Department]:
    """Who verifies an applicant: all four for industrial enterprises, else three (E6)."""
    return [d for d in Department if industrial or d != Department.ECONOMY_INFORMATION]
