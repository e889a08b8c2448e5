#nullable enable
using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace LoopBridge.Internal
{
    /// <summary>
    /// Names the user code behind a continuation for reports (the async method whose state machine it resumes, or the
    /// work whose handle it completes). Only used when something is reported, never on a hot path.
    /// </summary>
    internal static class ContinuationNames
    {
        /// <summary>Names a continuation posted to the loop's SynchronizationContext (the callback usually carries the resuming delegate as its state).</summary>
        internal static string Describe(SendOrPostCallback callback, object? state) =>
            state is Delegate resumed ? Describe(resumed) : Describe((Delegate)callback);

        /// <summary>Names a delivery: the work whose handle it completes, when known.</summary>
        internal static string DescribeDelivery(Action<object?> action, object? state)
        {
            if (state is LoopWorkItem item)
            {
                var site = item.CallSite;
                return site == null ? item.Describe() : $"{item.Describe()} submitted at{Environment.NewLine}{site}";
            }

            return Describe(action);
        }

        /// <summary>The async method a delegate resumes (<c>Type.Method</c>), else the delegate's own method.</summary>
        internal static string Describe(Delegate continuation)
        {
            try
            {
                var machine = FindStateMachineType(continuation.Target);
                if (machine != null)
                {
                    return "async method " + NameOf(machine);
                }
            }
            catch (Exception)
            {
                // Reflection refused (trimming, a runtime without these internals): fall back to the delegate itself.
            }

            var method = continuation.Method;
            return $"{method.DeclaringType?.FullName ?? "?"}.{method.Name}";
        }

        private static Type? FindStateMachineType(object? target)
        {
            if (target == null)
            {
                return null;
            }

            if (target is IAsyncStateMachine)
            {
                return target.GetType();
            }

            var type = target.GetType();
            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    if (typeof(IAsyncStateMachine).IsAssignableFrom(argument))
                    {
                        return argument;
                    }
                }
            }

            // A runner object holding the state machine in a field (Mono's MoveNextRunner, UniTask's runners).
            for (var t = type; t != null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (typeof(IAsyncStateMachine).IsAssignableFrom(field.FieldType) || field.FieldType == typeof(object))
                    {
                        if (field.GetValue(target) is IAsyncStateMachine machine)
                        {
                            return machine.GetType();
                        }
                    }
                }
            }

            return null;
        }

        /// <summary>"Namespace.Type.Method" from a compiler-generated state machine type named like "&lt;Method&gt;d__5".</summary>
        private static string NameOf(Type machine)
        {
            var name = machine.Name;
            var open = name.IndexOf('<');
            var close = name.LastIndexOf('>');
            var method = open >= 0 && close > open + 1 ? name.Substring(open + 1, close - open - 1) : name;
            var owner = machine.DeclaringType;
            return owner == null ? method : $"{owner.FullName}.{method}";
        }
    }
}
