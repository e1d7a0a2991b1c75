using SmmuActors.Model.Litmus;

using static SmmuActors.Tests.Litmus.Inline;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// Arrays and pointers of the init block (herd7's <c>int64_t v[2]={1,2}</c>, <c>int x[2]</c>, <c>int *p=&amp;x</c>,
/// <c>0:X2=v[1]</c>) and the conditions over them (<c>v[1]=2</c>, <c>x={1,0}</c>): each cell is its own location for
/// coherence, ordering and dependencies, a pointer's value is an address a later access uses, and an access to part of
/// a cell or to more than one (mixed-size) is refused with its reason, never answered.
/// </summary>
[Trait("Suite", "Fast")]
public class ArrayAndPointerTests
{
    static List<string> Block(string text) => Inline.Block(Parse(text));

    [Fact]
    public void An_array_is_a_location_per_cell_and_its_cells_have_addresses_at_the_type_size()
    {
        var t = Parse("AArch64 T\n{ int64_t v[2]={22,44}; int x[3]; 0:X1=v; 0:X2=v[1]; 0:X3=&x; int *p=&x[1]; 0:X4=x[2]; y=v; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n");
        Assert.Equal(["v[0]", "v[1]", "x[0]", "x[1]", "x[2]", "p", "y"], t.Locations);
        long v = LitmusValue.Address(0), x = LitmusValue.Address(1);
        Assert.Equal([22L, 44L, 0L, 0L, 0L, x + 4, v], t.InitialMemory);
        var regs = t.Threads[0].InitialRegisters;
        Assert.Equal((v, v + 8, x, x + 8), (regs[1], regs[2], regs[3], regs[4]));
        Assert.Equal((SymbolKind.Array, ScalarType.Int64, 8), (t.Layout.Symbols[0].Kind, t.Layout.Symbols[0].Type, t.Layout.Symbols[0].CellSize));
        Assert.Equal((SymbolKind.Pointer, 8), (t.Layout.Symbols[2].Kind, t.Layout.Symbols[2].CellSize));
    }

    /// <summary>herd's A128 sets a register to a cell of an array declared after it.</summary>
    [Fact]
    public void A_cell_may_be_named_before_its_array_is_declared()
    {
        const string text = "AArch64 T\n{ 0:X2=v[1]; int64_t v[2] = {22,44} }\n P0 ;\n LDR X0,[X2] ;\nforall (0:X0=44)\n";
        Assert.Equal(LitmusValue.Address(0) + 8, Parse(text).Threads[0].InitialRegisters[2]);
        Assert.Contains("Observation T Always 1 0", Block(text));
    }

    const string MpCells = """
        AArch64 MP+cells
        { int x[2]; 0:X1=x; 1:X1=x; }
         P0             | P1             ;
         MOV W0,#1      | LDR W2,[X1,#4] ;
         STR W0,[X1]    | {0}         ;
         {0}         | LDR W3,[X1]    ;
         STR W0,[X1,#4] |                ;
        locations [x;]
        exists (1:X2=1 /\ 1:X3=0)
        """;

    /// <summary>
    /// MP over two cells of one array: without barriers the stale read is reached (were the cells one location, coherence
    /// would forbid it), with DMB SY on both sides it is not; the whole array is shown as herd shows it.
    /// </summary>
    [Fact]
    public void Mp_over_two_cells_of_one_array_is_allowed_and_forbidden_by_barriers()
    {
        Assert.Equal([
            "Test MP+cells Allowed",
            "States 4",
            "1:X2=0; 1:X3=0; x={1,1};",
            "1:X2=0; 1:X3=1; x={1,1};",
            "1:X2=1; 1:X3=0; x={1,1};",
            "1:X2=1; 1:X3=1; x={1,1};",
            "Ok",
            "Witnesses",
            "Positive: 1 Negative: 3",
            @"Condition exists (1:X2=1 /\ 1:X3=0)",
            "Observation MP+cells Sometimes 1 3",
            "",
        ], Block(MpCells.Replace("{0}", "NOP   ")));
        Assert.Equal([
            "Test MP+cells Allowed",
            "States 3",
            "1:X2=0; 1:X3=0; x={1,1};",
            "1:X2=0; 1:X3=1; x={1,1};",
            "1:X2=1; 1:X3=1; x={1,1};",
            "No",
            "Witnesses",
            "Positive: 0 Negative: 3",
            @"Condition exists (1:X2=1 /\ 1:X3=0)",
            "Observation MP+cells Never 0 3",
            "",
        ], Block(MpCells.Replace("{0}", "DMB SY")));
    }

    const string MpPointer = """
        AArch64 MP+addr-ptr
        { int *p=&y; 0:X1=x; 0:X2=p; 1:X2=p; }
         P0          | P1          ;
         MOV W0,#1   | LDR X4,[X2] ;
         STR W0,[X1] | LDR W5,[X4] ;
         {0}      |             ;
         STR X1,[X2] |             ;
        exists (1:X4=x /\ 1:X5=0)
        """;

    /// <summary>
    /// A pointer published after its data: the reader loads p and uses what it read as the address of its next load, so
    /// it reads y through the old pointer or x through the new one. With DMB ST on the writer the address dependency
    /// forbids reading x before the data; without it the stale read is reached. Addresses sort by name, as herd's do.
    /// </summary>
    [Fact]
    public void A_loaded_pointer_is_the_address_of_the_next_access_with_its_dependency()
    {
        Assert.Equal([
            "Test MP+addr-ptr Allowed",
            "States 2",
            "1:X4=x; 1:X5=1;",
            "1:X4=y; 1:X5=0;",
            "No",
            "Witnesses",
            "Positive: 0 Negative: 2",
            @"Condition exists (1:X4=x /\ 1:X5=0)",
            "Observation MP+addr-ptr Never 0 2",
            "",
        ], Block(MpPointer.Replace("{0}", "DMB ST")));
        Assert.Contains("1:X4=x; 1:X5=0;", Block(MpPointer.Replace("{0}", "NOP   ")));
    }

    /// <summary>
    /// Cells in a condition and a locations line: registers first, then locations and whole arrays by name, then cells by
    /// array and index (herd's Loc before its Deref); each at its C type, a uint32_t cell's all-ones as 4294967295.
    /// </summary>
    [Fact]
    public void A_condition_over_cells_and_whole_arrays_prints_as_herds()
    {
        var block = Block("""
            AArch64 T
            { int v[2]={1,2}; int64_t w[2]; a=3; uint32_t u[2]={-1,2}; 0:X1=v; }
             P0             ;
             LDR W0,[X1,#4] ;
             STR W0,[X1]    ;
            locations [w[1]; a; 0:X0; u;]
            forall (v={2,2} /\ v[1]=2 /\ w[0]=0)
            """);
        Assert.Equal("0:X0=2; a=3; u={4294967295,2}; v={2,2}; v[1]=2; w[0]=0; w[1]=0;", block[2]);
        Assert.Equal(@"Condition forall (v={2,2} /\ v[1]=2 /\ w[0]=0)", block[6]);
        Assert.Equal("Observation T Always 1 0", block[7]);
    }

    [Fact]
    public void An_array_compared_with_other_values_is_not_witnessed()
    {
        var block = Block("AArch64 T\n{ int t[2]={1,2}; 0:X1=t; }\n P0 ;\n LDR W0,[X1] ;\nexists (t={2,1} \\/ not (t={1,2}) \\/ t[1]=1)\n");
        Assert.Equal("t={1,2}; t[1]=2;", block[2]);
        Assert.Equal("No", block[3]);
    }

    /// <summary>
    /// What the model has no access for, refused when a run reaches it, with the instruction's line and why: an access of
    /// another size than the cell's, one within a cell or across two, a W load of a pointer, and an address past the array.
    /// </summary>
    [Theory]
    [InlineData("int x[2]", "LDR X0,[X1]", "unsupported: an 8-byte access at byte 0 of x, an array of 4-byte cells")]
    [InlineData("int64_t x[2]", "STR W0,[X1,#8]", "unsupported: a 4-byte access at byte 8 of x, an array of 8-byte cells")]
    [InlineData("int x[2]", "LDR W0,[X1,#2]", "unsupported: a 4-byte access at byte 2 of x, an array of 4-byte cells")]
    [InlineData("int64_t x[2]", "LDR X0,[X1,#4]", "unsupported: an 8-byte access at byte 4 of x, an array of 8-byte cells")]
    [InlineData("uint16_t x[4]", "LDR W0,[X1]", "unsupported: a 4-byte access at byte 0 of x, an array of 2-byte cells")]
    [InlineData("int *x=&y", "LDR W0,[X1]", "unsupported: a 4-byte access at byte 0 of x, an 8-byte pointer")]
    [InlineData("int x[2]", "CAS X0,X2,[X1]", "unsupported: an 8-byte access at byte 0 of x, an array of 4-byte cells")]
    [InlineData("int x[2]", "LDR W0,[X1,#8]", "the address is no location of the test")]
    public void A_mixed_size_access_is_refused_with_its_reason(string declaration, string access, string reason)
    {
        var e = Assert.Throws<LitmusException>(() => Block($"AArch64 T\n{{ {declaration}; 0:X1=x; }}\n P0 ;\n MOV W0,#1 ;\n {access} ;\nexists (0:X0=1)\n"));
        Assert.Equal((FileName, 5, access), (e.File, e.Line, e.Construct));
        Assert.StartsWith(reason, e.Reason);
        Assert.False(e.Malformed);
    }

    /// <summary>A cell is reached at its start and size through an offset, a register offset, a post-index and an atomic.</summary>
    [Fact]
    public void Every_address_form_reaches_a_whole_cell()
    {
        var block = Block("""
            AArch64 T
            { int64_t t[3]={1,2,3}; 0:X1=t; 0:X2=16; }
             P0              ;
             LDR X3,[X1],#8  ;
             LDR X4,[X1]     ;
             SUB X1,X1,#8    ;
             LDR X5,[X1,X2]  ;
             MOV X6,#7       ;
             SWPAL X6,X7,[X1] ;
            forall (0:X3=1 /\ 0:X4=2 /\ 0:X5=3 /\ 0:X7=1 /\ t={7,2,3} /\ 0:X1=t)
            """);
        Assert.Equal("Ok", block[3]);
        Assert.Equal("0:X1=t; 0:X3=1; 0:X4=2; 0:X5=3; 0:X7=1; t={7,2,3};", block[2]);
    }

    /// <summary>What herd's grammar refuses or leaves unsettled in the init block and the condition, with the line.</summary>
    [Theory]
    [InlineData("{ int64_t v[2] = {1,2}; v[3] = 3 }", "exists (0:X0=0)", 2, "an array is set whole")]
    [InlineData("{ int v[2] = {1}; }", "exists (0:X0=0)", 2, "an array of 2 cells set with 1 values")]
    [InlineData("{ v[2] = {1,2}; }", "exists (0:X0=0)", 2, "an array is declared with its element type")]
    [InlineData("{ int v[2]; int v[3]; }", "exists (0:X0=0)", 2, "'v' is declared twice")]
    [InlineData("{ int v[2]; 0:X1=v[2]; }", "exists (0:X0=0)", 2, "'v' has 2 cells, no cell 2")]
    [InlineData("{ int v; 0:X1=v[1]; }", "exists (0:X0=0)", 2, "'v' is no array, so it has no cell 1")]
    [InlineData("{ int v[2]; }", "exists (v=0)", 5, "v is an array of 2 cells: compare it whole")]
    [InlineData("{ int v[2]; }", "exists (v={0,0,0})", 5, "v has 2 cells, compared with 3 values")]
    [InlineData("{ int v; }", "exists (v={0})", 5, "v is no array")]
    [InlineData("{ int v[2]; }", "exists (v[2]=0)", 5, "v has 2 cells, numbered from 0")]
    [InlineData("{ int v; }", "exists (v[0]=0)", 5, "v is no array, so it has no cell 0")]
    [InlineData("{ int v[2]; }", "exists (0:X1=v[1])", 5, "an address within an array is not read in a condition")]
    public void An_array_form_it_cannot_read_exactly_is_refused(string init, string condition, int line, string reason)
    {
        var e = Assert.Throws<LitmusException>(() => Parse($"AArch64 T\n{init}\n P0 ;\n NOP ;\n{condition}\n"));
        Assert.Equal((FileName, line), (e.File, e.Line));
        Assert.StartsWith(reason, e.Reason);
        Assert.False(e.Malformed);
    }
}
