from domain.departments import DEPARTMENT_NAMES, Department, departments_for


def test_industrial_enterprises_are_verified_by_the_economy_bureau_too() -> None:
    assert departments_for(industrial=True) == list(Department)


def test_other_applicants_skip_the_mu_efficiency_check() -> None:
    assert Department.ECONOMY_INFORMATION not in departments_for(industrial=False)
    assert len(departments_for(industrial=False)) == 3


def test_every_department_has_a_chinese_name() -> None:
    assert set(DEPARTMENT_NAMES) == set(Department)
    assert all(DEPARTMENT_NAMES.values())
