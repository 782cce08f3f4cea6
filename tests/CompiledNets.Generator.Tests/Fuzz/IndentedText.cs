using System.Text;

namespace CompiledNets.Generator.Tests.Fuzz;

/// <summary>Lines of C# with four-space indentation, so a failing case's source is readable in the test output.</summary>
internal sealed class IndentedText
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public void Line(string line = "") => _text.Append(line.Length == 0 ? "" : new string(' ', 4 * _depth) + line).Append('\n');

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _depth++;
    }

    public void Close()
    {
        _depth--;
        Line("}");
    }

    public override string ToString() => _text.ToString();
}
