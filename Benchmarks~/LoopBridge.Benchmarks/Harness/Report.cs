using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LoopBridge.Benchmarks.Harness
{
    /// <summary>The samples of one pattern in one case of a scenario (one sample per trial).</summary>
    internal sealed class Row
    {
        public Row(string @case, string pattern, bool isReference)
        {
            Case = @case;
            Pattern = pattern;
            IsReference = isReference;
        }

        public string Case { get; }
        public string Pattern { get; }
        public bool IsReference { get; }
        public List<double> Samples { get; } = new List<double>();
        public string? Note { get; set; }
        public double Median => Stats.Median(Samples);
    }

    /// <summary>A scenario's results: rows of per-trial samples, rendered as pattern, median, min, max, ratio.</summary>
    internal sealed class SampleTable
    {
        public SampleTable(string title, string metric, string format, bool higherIsBetter, string description)
        {
            Title = title;
            Metric = metric;
            Format = format;
            HigherIsBetter = higherIsBetter;
            Description = description;
        }

        public string Title { get; }
        public string Metric { get; }
        public string Format { get; }
        public bool HigherIsBetter { get; }
        public string Description { get; }
        public List<Row> Rows { get; } = new List<Row>();

        public Row Add(string @case, string pattern, bool isReference = false)
        {
            var row = new Row(@case, pattern, isReference);
            Rows.Add(row);
            return row;
        }

        public Row? Find(string @case, string pattern) => Rows.FirstOrDefault(r => r.Case == @case && r.Pattern == pattern);

        public Row? Reference(string @case) => Rows.FirstOrDefault(r => r.Case == @case && r.IsReference);

        public TextTable ToText()
        {
            bool hasCases = Rows.Select(r => r.Case).Distinct().Count() > 1 || Rows.Any(r => r.Case.Length > 0);
            var headers = new List<string>();
            if (hasCases) headers.Add("case");
            headers.AddRange(new[] { "pattern", Metric + " median", "min", "max", "ratio to LoopBridge" });
            var table = new TextTable(headers.ToArray());
            foreach (var row in Rows)
            {
                var cells = new List<string>();
                if (hasCases) cells.Add(row.Case);
                cells.Add(row.Note == null ? row.Pattern : row.Pattern + " (" + row.Note + ")");
                if (row.Samples.Count == 0)
                {
                    cells.AddRange(new[] { "n/a", "", "", "" });
                }
                else
                {
                    cells.Add(Fmt(row.Median));
                    cells.Add(Fmt(Stats.Min(row.Samples)));
                    cells.Add(Fmt(Stats.Max(row.Samples)));
                    cells.Add(Ratio(row));
                }
                table.AddRow(cells.ToArray());
            }
            return table;
        }

        private string Ratio(Row row)
        {
            var reference = Reference(row.Case);
            if (reference == null || reference.Samples.Count == 0)
            {
                return "";
            }
            if (ReferenceEquals(reference, row))
            {
                return "1.00 (reference)";
            }
            double r = reference.Median;
            double v = row.Median;
            if (r == 0 && v == 0) return "= (both 0)";
            if (r == 0) return "∞";
            return (v / r).ToString("0.00", CultureInfo.InvariantCulture) + "×";
        }

        public string Fmt(double v) => double.IsNaN(v) ? "n/a" : v.ToString(Format, CultureInfo.InvariantCulture);
    }

    /// <summary>A plain table of strings, printed to the console or as Markdown.</summary>
    internal sealed class TextTable
    {
        private readonly List<string[]> _rows = new List<string[]>();

        public TextTable(params string[] headers) => Headers = headers;

        public string[] Headers { get; }

        public void AddRow(params string[] cells) => _rows.Add(cells);

        public string ToConsole()
        {
            var widths = Headers.Select(h => h.Length).ToArray();
            foreach (var row in _rows)
                for (int i = 0; i < row.Length; i++)
                    widths[i] = Math.Max(widths[i], row[i].Length);
            var sb = new StringBuilder();
            void Line(string[] cells)
            {
                for (int i = 0; i < widths.Length; i++)
                {
                    string c = i < cells.Length ? cells[i] : "";
                    bool numeric = IsNumericColumn(i);
                    sb.Append(numeric ? c.PadLeft(widths[i]) : c.PadRight(widths[i]));
                    sb.Append(i == widths.Length - 1 ? "" : "  ");
                }
                sb.AppendLine();
            }
            Line(Headers);
            sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            foreach (var row in _rows) Line(row);
            return sb.ToString();
        }

        public string ToMarkdown()
        {
            var sb = new StringBuilder();
            sb.Append("| ").Append(string.Join(" | ", Headers.Select(Escape))).AppendLine(" |");
            sb.Append('|').Append(string.Join("|", Headers.Select((h, i) => IsNumericColumn(i) ? "---:" : "---"))).AppendLine("|");
            foreach (var row in _rows)
                sb.Append("| ").Append(string.Join(" | ", row.Select(Escape))).AppendLine(" |");
            return sb.ToString();
        }

        /// <summary>Right-align a column whose cells are all numbers (or empty / n/a).</summary>
        private bool IsNumericColumn(int column) => _rows.All(r => column >= r.Length || IsNumeric(r[column]));

        /// <summary>"2.005", "1,000", "1.25×", "1.00 (reference)", "0.959 [0.884–3.242]" are numbers; "1 producer" is not.</summary>
        private static bool IsNumeric(string cell)
        {
            if (cell.Length == 0 || cell == "n/a" || cell == "∞" || cell.StartsWith("=", StringComparison.Ordinal)) return true;
            if (!char.IsDigit(cell[0])) return false;
            int space = cell.IndexOf(' ');
            return space < 0 || cell[space + 1] == '(' || cell[space + 1] == '[';
        }

        private static string Escape(string s) => s.Replace("|", "\\|").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
