using System.Collections.Generic;
using System.Linq;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// An input value that every channel segment of a conv kernel multiplies. With one vector width across the
/// segments it is broadcast once, straight from memory (a load-unit operation; a broadcast from a register would
/// take a turn of the FP ports the FMAs need); with mixed widths (a channel count that is not a whole number of
/// vectors) it is read as a float and broadcast at each segment's width.
/// </summary>
internal sealed class InputBroadcast
{
    private readonly IReadOnlyList<Segment> _segments;
    private readonly bool _oneWidth;

    public InputBroadcast(IReadOnlyList<Segment> segments)
    {
        _segments = segments;
        _oneWidth = segments.All(s => s.Width == segments[0].Width);
    }

    /// <summary>The statement declaring <paramref name="name"/> from the float expression <paramref name="value"/>.</summary>
    public string Declare(string name, string value) =>
        _oneWidth ? $"var {name} = {_segments[0].Broadcast(value)};" : $"float {name} = {value};";

    /// <summary>The operand an FMA of <paramref name="segment"/> takes for <paramref name="name"/>.</summary>
    public string For(string name, Segment segment) => _oneWidth ? name : segment.Broadcast(name);
}
