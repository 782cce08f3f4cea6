using System;
using System.Text;

namespace CompiledNets.Generator.Emit;

/// <summary>Writes C# text line by line with tracked indentation (the Roslyn cookbook's advice over SyntaxNodes).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new(64 * 1024);
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned scope is disposed.</summary>
    public IDisposable Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this);
    }

    /// <summary>A new writer at the same indentation, whose text can be compared and then <see cref="Append"/>ed.</summary>
    public SourceWriter Fork() => new() { _indent = _indent };

    /// <summary>Appends text written by a <see cref="Fork"/> of this writer.</summary>
    public void Append(SourceWriter fork) => _text.Append(fork._text);

    public void Indent() => _indent++;

    public void Outdent() => _indent--;

    public override string ToString() => _text.ToString();

    private sealed class Scope : IDisposable
    {
        private readonly SourceWriter _writer;

        public Scope(SourceWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}");
        }
    }
}
