using System.Collections.Generic;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// A vector width the generated kernels are specialized for. Each layer gets one method per path, and
/// a dispatcher picks one with <c>Vector512/256.IsHardwareAccelerated</c>, which the JIT folds to a constant.
/// </summary>
internal sealed class SimdPath
{
    public static readonly SimdPath Vector512 = new("512", 16);
    public static readonly SimdPath Vector256 = new("256", 8);

    private SimdPath(string suffix, int width)
    {
        Suffix = suffix;
        Width = width;
    }

    /// <summary>Method name suffix: "512" or "256".</summary>
    public string Suffix { get; }

    /// <summary>Floats per widest vector.</summary>
    public int Width { get; }

    /// <summary>Vector registers the ISA names: 32 with AVX-512, 16 with AVX2. Kernels size their register tiles by it.</summary>
    public int Registers => Width == 16 ? 32 : 16;

    /// <summary>One widest vector: its <see cref="Segment.Class"/> and <see cref="Segment.Type"/> name the vector type.</summary>
    public Segment Whole => new(0, Width);

    /// <summary>
    /// Covers <paramref name="count"/> consecutive floats with the widest vectors first, then narrower
    /// ones (8, 4) and single floats for what is left, so no load or store runs past the end.
    /// </summary>
    public IReadOnlyList<Segment> Segments(int count)
    {
        var segments = new List<Segment>();
        int offset = 0;
        foreach (int width in new[] { 16, 8, 4, 1 })
        {
            if (width > Width) continue;
            while (count - offset >= width)
            {
                segments.Add(new Segment(offset, width));
                offset += width;
            }
        }
        return segments;
    }
}

/// <summary>A run of <see cref="Width"/> floats at <see cref="Offset"/>, handled as one vector (or one float).</summary>
internal readonly record struct Segment(int Offset, int Width)
{
    public bool IsScalar => Width == 1;

    /// <summary>The static class of the vector type (<see cref="Types.Vector512"/>, <see cref="Types.Vector256"/>, <see cref="Types.Vector128"/>), or "float".</summary>
    public string Class => Width switch { 16 => Types.Vector512, 8 => Types.Vector256, 4 => Types.Vector128, _ => "float" };

    public string Type => IsScalar ? "float" : Class + "<float>";

    public string Zero => IsScalar ? "0f" : Type + ".Zero";

    /// <summary>Load of the segment at <c>reference + offset + Offset</c>.</summary>
    public string Load(string reference, string offset) =>
        IsScalar
            ? $"{Types.Unsafe}.Add(ref {reference}, {Code.Plus(offset, Offset)})"
            : $"{Class}.LoadUnsafe(ref {reference}, {Code.Native(Code.Plus(offset, Offset))})";

    public string Store(string value, string reference, string offset) =>
        IsScalar
            ? $"{Types.Unsafe}.Add(ref {reference}, {Code.Plus(offset, Offset)}) = {value};"
            : $"{Class}.StoreUnsafe({value}, ref {reference}, {Code.Native(Code.Plus(offset, Offset))});";

    /// <summary>Adds <paramref name="value"/> to the segment in memory: <c>+=</c> for a float, load-add-store for a vector.</summary>
    public string AddTo(string value, string reference, string offset) =>
        IsScalar
            ? $"{Types.Unsafe}.Add(ref {reference}, {Code.Plus(offset, Offset)}) += {value};"
            : Store($"{Load(reference, offset)} + {value}", reference, offset);

    public string Broadcast(string scalar) => IsScalar ? scalar : $"{Class}.Create({scalar})";

    /// <summary>The horizontal sum of a vector (the value itself for a float): every kernel's sums of lanes go through here.</summary>
    public string Sum(string value) => IsScalar ? value : $"{Types.VectorMath}.Sum({value})";
}
