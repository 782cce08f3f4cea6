using System;
using Microsoft.CodeAnalysis.Text;

namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>
/// Source text with one span marked <c>[|like this|]</c> (the Roslyn test convention): where a diagnostic
/// is expected. <c>[[|Dense(10)|]]</c> marks the attribute inside its brackets, as Roslyn's attribute span does.
/// </summary>
internal sealed record MarkedSource(string Text, TextSpan Span)
{
    private const string Open = "[|", Close = "|]";

    public static MarkedSource Parse(string markup)
    {
        int start = markup.IndexOf(Open, StringComparison.Ordinal);
        int end = markup.IndexOf(Close, start + Open.Length, StringComparison.Ordinal);
        if (start < 0 || end < 0 || markup.IndexOf(Open, end, StringComparison.Ordinal) >= 0)
            throw new ArgumentException("Mark exactly one span with [| and |].", nameof(markup));
        string text = markup.Substring(0, start) + markup.Substring(start + Open.Length, end - start - Open.Length) + markup.Substring(end + Close.Length);
        return new MarkedSource(text, TextSpan.FromBounds(start, end - Open.Length));
    }

    public string MarkedText => Text.Substring(Span.Start, Span.Length);
}
