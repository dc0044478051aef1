package com.rackflow.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;

/**
 * What a handler's code can reach, read from the compiled classes: the methods reachable from the handler (calls,
 * lambdas, static initialisers; a virtual call goes to the overriding methods of the classes the reachable code
 * instantiates), the AWS SDK client operations they call and the configuration variables they read through
 * {@code Config.optional/required} (with a constant name).
 */
public final class CodeCalls {

    private static final String APP = "com/rackflow/";
    private static final String CONFIG = "com/rackflow/core/config/Config";

    /** @param sdkCalls e.g. {@code DynamoDbClient.putItem}; @param variables environment variables read */
    public record Reach(Set<String> sdkCalls, Set<String> variables, Set<String> methods) {
    }

    private final Map<String, ClassNode> classes = new HashMap<>();

    private ClassNode node(String internalName) {
        if (!internalName.startsWith(APP)) {
            return null;
        }
        return classes.computeIfAbsent(internalName, name -> {
            try (InputStream in = CodeCalls.class.getClassLoader().getResourceAsStream(name + ".class")) {
                if (in == null) {
                    return null;
                }
                ClassNode n = new ClassNode();
                new ClassReader(in).accept(n, ClassReader.SKIP_FRAMES);
                return n;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private final Map<String, Reach> reaches = new HashMap<>();
    private final Map<String, Boolean> subtypes = new HashMap<>();

    public synchronized Reach reach(String handlerClass) {
        return reaches.computeIfAbsent(handlerClass, this::analyse);
    }

    private Reach analyse(String handlerClass) {
        String start = handlerClass.replace('.', '/');
        Set<String> reached = new HashSet<>();
        Deque<String> work = new ArrayDeque<>();
        Set<String> instantiated = new HashSet<>();
        Set<String> virtualCalls = new HashSet<>();
        Set<String> sdk = new TreeSet<>();
        Set<String> variables = new TreeSet<>();
        Set<String> checked = new HashSet<>();
        instantiate(start, instantiated, work);
        work.add(start + ".<init>()V");
        for (String t = start; t != null && node(t) != null; t = node(t).superName) {
            for (MethodNode m : node(t).methods) {
                if (m.name.equals("handleRequest") && (m.access & Opcodes.ACC_ABSTRACT) == 0) {
                    work.add(t + "." + m.name + m.desc);
                }
            }
        }
        boolean changed = true;
        while (changed) {
            while (!work.isEmpty()) {
                String method = work.poll();
                if (!reached.add(method)) {
                    continue;
                }
                scan(method, work, instantiated, virtualCalls, sdk, variables);
            }
            changed = false;
            for (String call : List.copyOf(virtualCalls)) {
                for (String type : List.copyOf(instantiated)) {
                    if (!checked.add(call + "|" + type)) {
                        continue;
                    }
                    String target = resolve(type, call);
                    if (target != null && !reached.contains(target) && isSubtype(type, call.substring(0, call.indexOf('.')))) {
                        work.add(target);
                        changed = true;
                    }
                }
            }
        }
        return new Reach(sdk, variables, reached);
    }

    private void instantiate(String type, Set<String> instantiated, Deque<String> work) {
        if (!type.startsWith(APP) || !instantiated.add(type)) {
            return;
        }
        clinit(type, work);
        // methods the JDK or a library calls back (Runnable.run, Comparator.compare, Resource.beforeCheckpoint, ...)
        for (String callback : libraryOverrides(type)) {
            work.add(callback);
        }
    }

    private void clinit(String type, Deque<String> work) {
        for (String t = type; t != null && t.startsWith(APP); ) {
            ClassNode n = node(t);
            if (n == null) {
                return;
            }
            work.add(t + ".<clinit>()V");
            t = n.superName;
        }
    }

    private void scan(String method, Deque<String> work, Set<String> instantiated, Set<String> virtualCalls,
                      Set<String> sdk, Set<String> variables) {
        String owner = method.substring(0, method.indexOf('.'));
        String nameDesc = method.substring(method.indexOf('.') + 1);
        ClassNode n = node(owner);
        if (n == null) {
            return;
        }
        for (MethodNode m : n.methods) {
            if (!(m.name + m.desc).equals(nameDesc)) {
                continue;
            }
            AbstractInsnNode previous = null;
            for (AbstractInsnNode insn : m.instructions) {
                if (insn.getOpcode() < 0) {
                    continue;
                }
                if (insn instanceof TypeInsnNode t && t.getOpcode() == Opcodes.NEW) {
                    instantiate(t.desc, instantiated, work);
                } else if (insn instanceof FieldInsnNode f && (f.getOpcode() == Opcodes.GETSTATIC || f.getOpcode() == Opcodes.PUTSTATIC)) {
                    clinit(f.owner, work);
                } else if (insn instanceof MethodInsnNode call) {
                    if (call.owner.startsWith("software/amazon/awssdk/services/")) {
                        sdk.add(call.owner.substring(call.owner.lastIndexOf('/') + 1) + "." + call.name);
                    } else if (call.owner.equals(CONFIG) && (call.name.equals("optional") || call.name.equals("required"))
                            && previous instanceof LdcInsnNode ldc && ldc.cst instanceof String name) {
                        variables.add(name);
                    }
                    if (call.owner.startsWith(APP)) {
                        String target = call.owner + "." + call.name + call.desc;
                        if (call.getOpcode() == Opcodes.INVOKESTATIC || call.getOpcode() == Opcodes.INVOKESPECIAL) {
                            clinit(call.owner, work);
                            String resolved = resolve(call.owner, target);
                            work.add(resolved == null ? target : resolved);
                        } else {
                            virtualCalls.add(target);
                        }
                    }
                } else if (insn instanceof InvokeDynamicInsnNode indy) {
                    for (Object arg : indy.bsmArgs) {
                        if (arg instanceof Handle h && h.getOwner().startsWith(APP)) {
                            String target = h.getOwner() + "." + h.getName() + h.getDesc();
                            if (h.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
                                instantiate(h.getOwner(), instantiated, work);
                            }
                            if (h.getTag() == Opcodes.H_INVOKEVIRTUAL || h.getTag() == Opcodes.H_INVOKEINTERFACE) {
                                virtualCalls.add(target);
                            } else {
                                work.add(target);
                            }
                        }
                    }
                }
                previous = insn;
            }
        }
    }

    /** The method {@code type} runs for {@code call} (owner.nameDesc): its own or its nearest superclass's. */
    private String resolve(String type, String call) {
        String nameDesc = call.substring(call.indexOf('.') + 1);
        for (String t = type; t != null && t.startsWith(APP); ) {
            ClassNode n = node(t);
            if (n == null) {
                return null;
            }
            for (MethodNode m : n.methods) {
                if ((m.name + m.desc).equals(nameDesc) && (m.access & Opcodes.ACC_ABSTRACT) == 0) {
                    return t + "." + nameDesc;
                }
            }
            t = n.superName;
        }
        return null;
    }

    private boolean isSubtype(String type, String of) {
        if (type.equals(of)) {
            return true;
        }
        String key = type + "<" + of;
        Boolean known = subtypes.get(key);
        if (known != null) {
            return known;
        }
        boolean result = computeSubtype(type, of);
        subtypes.put(key, result);
        return result;
    }

    private boolean computeSubtype(String type, String of) {
        ClassNode n = node(type);
        if (n == null) {
            return false;
        }
        if (n.superName != null && isSubtype(n.superName, of)) {
            return true;
        }
        for (String i : n.interfaces) {
            if (isSubtype(i, of)) {
                return true;
            }
        }
        return false;
    }

    /** {@code type}'s methods that override a method of a supertype outside the application. */
    private List<String> libraryOverrides(String type) {
        Set<String> libraryMethods = new HashSet<>();
        collectLibraryMethods(type, libraryMethods);
        List<String> result = new ArrayList<>();
        for (String t = type; t != null && node(t) != null; t = node(t).superName) {
            for (MethodNode m : node(t).methods) {
                if (libraryMethods.contains(m.name + m.desc) && (m.access & Opcodes.ACC_ABSTRACT) == 0) {
                    result.add(t + "." + m.name + m.desc);
                }
            }
        }
        return result;
    }

    private void collectLibraryMethods(String type, Set<String> into) {
        ClassNode n = node(type);
        if (n == null) {
            try {
                Class<?> c = Class.forName(type.replace('/', '.'), false, CodeCalls.class.getClassLoader());
                for (Method m : c.getMethods()) {
                    into.add(m.getName() + Type.getMethodDescriptor(m));
                }
                for (Method m : c.getDeclaredMethods()) {
                    into.add(m.getName() + Type.getMethodDescriptor(m));
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // not on the class path: nothing known to call back
            }
            return;
        }
        if (n.superName != null && !n.superName.equals("java/lang/Object")) {
            collectLibraryMethods(n.superName, into);
        }
        for (String i : n.interfaces) {
            collectLibraryMethods(i, into);
        }
    }
}
