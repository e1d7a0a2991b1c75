using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// What a CAS whose Rs holds no read returns, as a later load's address, on MP (<see cref="FlagDependencyTests.Stale"/>:
/// P1 reads y, its CAS reads y again, the last load reads x). herd's aarch64_cas_ok takes the register's data from Rs and
/// only control from the read, so a successful CAS gives the load no address dependency on its read (pick-addr-dep; [R]
/// is in no ob: herd's MP+rel+CAS-ok-MRs-addr Allowed); aarch64_cas_no takes it from the read, so a failed one does
/// (MP+rel+CAS-no-MRs-addr Forbidden); an ISB after such a load orders what follows after the read (pick-addr-dep;
/// [M]; po; [IFB]; po).
/// </summary>
[Trait("Suite", "Fast")]
public class CasReturnedTests
{
    [Fact]
    public void A_successful_CAS_gives_a_load_it_addresses_no_dependency_on_its_read() =>
        Assert.True(FlagDependencyTests.Stale("MOV W5,#1", "CAS W5,W9,[X1]", "EOR X5,X5,X5"));

    [Fact]
    public void A_failed_CAS_gives_a_load_it_addresses_a_dependency_on_its_read() =>
        Assert.False(FlagDependencyTests.Stale("MOV W5,#2", "CAS W5,W9,[X1]", "EOR X5,X5,X5"));

    [Fact]
    public void A_load_at_what_a_successful_CAS_returned_then_an_isb_orders_later_loads() =>
        Assert.False(FlagDependencyTests.Stale("MOV W5,#1", "CAS W5,W9,[X1]", "EOR X5,X5,X5", "LDR W7,[X3,X5]", "ISB"));

    /// <summary>
    /// Still refused: Rs from a read (herd's successful CAS then also takes the data from the read, DataFromRx, and the
    /// union of the two is not followed); a store after the load (the thread waits for the CAS's reply, after its
    /// write, where herd orders the store after the read only); the value as a store's address or a branch condition.
    /// </summary>
    [Theory]
    [InlineData("EOR W5,W0,W0", "CAS W5,W9,[X1]", "EOR X5,X5,X5")]
    [InlineData("MOV W5,#1", "CAS W5,W9,[X1]", "EOR X5,X5,X5", "LDR W7,[X3,X5]", "STR W9,[X1]")]
    [InlineData("MOV W5,#1", "CAS W5,W9,[X1]", "EOR X5,X5,X5", "STR W9,[X1,X5]")]
    [InlineData("MOV W5,#1", "CAS W5,W9,[X1]", "CBNZ X5,L", "L:", "MOV X5,#0")]
    public void Other_uses_are_refused(params string[] reader)
    {
        var e = Assert.Throws<LitmusException>(() => FlagDependencyTests.Stale(reader));
        Assert.StartsWith("unsupported: a value a CAS returned", e.Reason);
    }
}
