from disputes.models import Role


def test_clerk_registers_and_sees_case(login, org, make_case):
    case = make_case()
    client = login(org.user(Role.CLERK))
    page = client.get("/cases")
    assert case.registry_no in page.get_data(as_text=True)
    detail = client.get(f"/cases/{case.id}")
    assert "110105********002X" in detail.get_data(as_text=True)
