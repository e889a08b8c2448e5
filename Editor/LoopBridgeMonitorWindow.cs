#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using UnityEditor;
using UnityEditorInternal;
using UnityEngine;

namespace LoopBridge
{
    /// <summary>
    /// Window &gt; Analysis &gt; LoopBridge Monitor: the play-mode loop and the editor loop live: state, graphs of queue
    /// depth, latency and tick time against the budget, counters, pending and running work with call sites (click to
    /// open the source line), and the last closes. Works in edit mode, play mode and pause.
    /// </summary>
    /// <remarks>
    /// Reads <see cref="LoopDiagnostics"/> snapshots into objects it keeps, and repaints at most
    /// <see cref="RepaintsPerSecond"/> times a second (throttled from <c>EditorApplication.update</c>). While open it turns
    /// on <see cref="LoopDiagnostics.DetailedTiming"/> of the loops it shows (microsecond latencies) and turns it off
    /// again when closed. Closed, it is not subscribed to anything and costs nothing. Main thread.
    /// </remarks>
    public sealed class LoopBridgeMonitorWindow : EditorWindow
    {
        /// <summary>The menu path of the window.</summary>
        public const string MenuPath = "Window/Analysis/LoopBridge Monitor";

        /// <summary>The most repaints per second.</summary>
        public const int RepaintsPerSecond = 4;

        const float GraphHeight = 48f;
        const int MaxListed = 50;

        static readonly Color s_Depth = new Color(0.30f, 0.60f, 1.00f, 1f);
        static readonly Color s_Latency = new Color(1.00f, 0.70f, 0.20f, 1f);
        static readonly Color s_TickTime = new Color(0.40f, 0.85f, 0.40f, 1f);
        static readonly Color s_OverBudget = new Color(1.00f, 0.30f, 0.30f, 1f);
        static readonly Color s_Budget = new Color(1f, 1f, 1f, 0.6f);
        static readonly Color s_Background = new Color(0f, 0f, 0f, 0.25f);

        readonly LoopView m_Play = new LoopView("Play-mode loop");
        readonly LoopView m_Editor = new LoopView("Editor loop");
        Vector2 m_Scroll;
        long m_NextRepaint;
        EditorApplication.CallbackFunction? m_Update;

        /// <summary>Opens (or focuses) the window.</summary>
        [MenuItem(MenuPath)]
        public static void Open() => GetWindow<LoopBridgeMonitorWindow>("LoopBridge Monitor");

        void OnEnable()
        {
            m_Update ??= OnEditorUpdate;
            EditorApplication.update -= m_Update;
            EditorApplication.update += m_Update;
        }

        void OnDisable()
        {
            if (m_Update != null)
                EditorApplication.update -= m_Update;
            m_Play.Release();
            m_Editor.Release();
        }

        void OnEditorUpdate()
        {
            var now = Stopwatch.GetTimestamp();
            if (now < m_NextRepaint)
                return;
            m_NextRepaint = now + Stopwatch.Frequency / RepaintsPerSecond;
            Repaint();
        }

        void OnGUI()
        {
            UnityMainLoop.TryGetMain(out var play);
            EditorMainLoop.TryGetCurrent(out var editor);
            m_Scroll = EditorGUILayout.BeginScrollView(m_Scroll);
            DrawLoop(m_Play, play, "no play session yet: enter play mode");
            DrawLoop(m_Editor, editor, "not created yet");
            DrawRecentCloses();
            EditorGUILayout.EndScrollView();
        }

        static void DrawLoop(LoopView view, MainLoop? loop, string absent)
        {
            view.Expanded = EditorGUILayout.Foldout(view.Expanded, view.Title);
            if (!view.Expanded)
                return;
            if (loop == null)
            {
                EditorGUILayout.LabelField("  ", absent);
                return;
            }

            view.Bind(loop);
            var s = view.Snapshot;
            loop.Diagnostics.Read(s);
            var stats = s.Statistics;
            EditorGUILayout.LabelField("State", $"{s.State} · {s.Activity} · tick {s.CurrentTick} · last tick {Ms(s.TimeSinceLastTick)} ago");
            EditorGUILayout.LabelField("Queue", $"{s.QueueDepth} queued · oldest {s.OldestQueuedAgeTicks} tick(s) / {Ms(s.OldestQueuedAge)}");
            EditorGUILayout.LabelField("Items per tick", $"last {s.ItemsLastTick} · most {s.MostItemsInATick} · run {stats.ItemsRun}");
            var budget = s.TickBudget > TimeSpan.Zero ? Ms(s.TickBudget) : "none";
            EditorGUILayout.LabelField("Tick time", $"last {Ms(s.LastTickDuration)} · longest {Ms(s.LongestTick)} · budget {budget} · over budget {s.TicksOverBudget}");
            EditorGUILayout.LabelField("Latency", $"p50 {s.TickLatencyQuantile(0.5)} / p99 {s.TickLatencyQuantile(0.99)} tick(s) · p99 {Micros(s.MicrosecondLatencyQuantile(0.99))} · longest {s.LongestWaitTicks} tick(s)");
            EditorGUILayout.LabelField("Handles", $"ok {stats.Succeeded} · faulted {stats.Faulted} · canceled {stats.Canceled} · failed by close {stats.FailedByClose}");
            EditorGUILayout.LabelField("Async", $"{stats.RunningAsync} running · {stats.DroppedContinuations} dropped continuation(s)");

            GUILayout.Label("Queue depth");
            DrawBars(s.DepthHistory, s.HistoryCount, s_Depth);
            GUILayout.Label("Longest wait per tick (µs)");
            DrawBars(s.LongestWaitMicrosecondsHistory, s.HistoryCount, s_Latency, 0);
            GUILayout.Label("Tick time against budget");
            DrawBars(s.TickDurationHistory, s.HistoryCount, s_TickTime, s.TickBudget.Ticks);

            DrawPending(loop, view);
            if (s.LastReport != null)
                EditorGUILayout.LabelField("Last report", s.LastReport.Message);
            if (s.LastClose != null)
                EditorGUILayout.LabelField("Closed", s.LastClose.ToString());
        }

        static void DrawPending(MainLoop loop, LoopView view)
        {
            loop.Diagnostics.GetPendingWork(view.Pending);
            GUILayout.Label($"Pending and running with call sites ({view.Pending.Count}; needs MainLoopOptions.TrackHandles)");
            var shown = Math.Min(view.Pending.Count, MaxListed);
            for (var i = 0; i < shown; i++)
            {
                var work = view.Pending[i];
                if (GUILayout.Button(work.ToString()) && work.File != null)
                    InternalEditorUtility.OpenFileAtLineExternal(work.File, work.Line);
            }
        }

        static void DrawRecentCloses()
        {
            GUILayout.Label("Recent closes");
            var closes = LoopDiagnostics.GetRecentCloses();
            for (var i = Math.Max(0, closes.Length - 5); i < closes.Length; i++)
                EditorGUILayout.LabelField("  ", closes[i].ToString());
        }

        static void DrawBars(int[] values, int count, Color color)
        {
            var rect = GUILayoutUtility.GetRect(10f, GraphHeight, GUILayout.ExpandWidth(true));
            EditorGUI.DrawRect(rect, s_Background);
            long max = 1;
            for (var i = 0; i < count; i++)
                max = Math.Max(max, values[i]);
            var w = rect.width / LoopDiagnostics.HistoryLength;
            for (var i = 0; i < count; i++)
                Bar(rect, w, i, values[i], max, color);
        }

        static void DrawBars(long[] values, int count, Color color, long budget)
        {
            var rect = GUILayoutUtility.GetRect(10f, GraphHeight, GUILayout.ExpandWidth(true));
            EditorGUI.DrawRect(rect, s_Background);
            var max = Math.Max(1, budget * 2);
            for (var i = 0; i < count; i++)
                max = Math.Max(max, values[i]);
            var w = rect.width / LoopDiagnostics.HistoryLength;
            for (var i = 0; i < count; i++)
                Bar(rect, w, i, values[i], max, budget > 0 && values[i] > budget ? s_OverBudget : color);
            if (budget > 0)
            {
                var y = rect.yMax - rect.height * budget / max;
                EditorGUI.DrawRect(new Rect(rect.x, y, rect.width, 1f), s_Budget);
            }
        }

        static void Bar(Rect area, float width, int index, long value, long max, Color color)
        {
            if (value <= 0)
                return;
            var h = area.height * value / max;
            EditorGUI.DrawRect(new Rect(area.x + index * width, area.yMax - h, Math.Max(1f, width - 1f), h), color);
        }

        static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0.##} ms";

        static string Micros(long us) => us < 0 ? "–" : us < 1000 ? $"{us} µs" : $"{us / 1000.0:0.#} ms";

        /// <summary>What the window keeps per loop: the snapshot it reads into, the pending list, and whether it turned detailed timing on.</summary>
        sealed class LoopView
        {
            internal readonly string Title;
            internal readonly LoopDiagnosticsSnapshot Snapshot = new LoopDiagnosticsSnapshot();
            internal readonly List<LoopPendingWork> Pending = new List<LoopPendingWork>();
            internal bool Expanded = true;
            MainLoop? m_Detailed;

            internal LoopView(string title) => Title = title;

            /// <summary>Turns on detailed timing of the loop shown (once per loop), giving it back when the loop changes.</summary>
            internal void Bind(MainLoop loop)
            {
                if (ReferenceEquals(loop, m_Detailed))
                    return;
                Release();
                if (!loop.Diagnostics.DetailedTiming)
                {
                    loop.Diagnostics.DetailedTiming = true;
                    m_Detailed = loop;
                }
            }

            internal void Release()
            {
                if (m_Detailed != null)
                    m_Detailed.Diagnostics.DetailedTiming = false;
                m_Detailed = null;
            }
        }
    }
}
