import java.util.zip.ZipFile

// Post-build check of the consumer IT: the build succeeded and its tests really ran (surefire reports, build log).
def reports = new File(basedir, 'target/surefire-reports')
assert reports.isDirectory() : "no surefire reports in ${reports}: the consumer's tests did not run"

int tests = 0, failures = 0, errors = 0
def perClass = [:]
reports.eachFileMatch(~/TEST-.*\.xml/) { f ->
    def head = (f.text =~ /<testsuite\b[^>]*>/)[0]
    int t = ((head =~ /\stests="(\d+)"/)[0][1]) as int
    tests += t
    failures += ((head =~ /\sfailures="(\d+)"/)[0][1]) as int
    errors += ((head =~ /\serrors="(\d+)"/)[0][1]) as int
    perClass[f.name] = t
}
println "consumer IT: surefire reports ${perClass}, ${tests} tests, ${failures} failures, ${errors} errors"
assert tests > 0 : 'the consumer ran no tests'
assert failures == 0 && errors == 0
['CertifyThroughPublicApiTest', 'ToySolverPropertyTest', 'NativeBlasTest', 'ArbitrariesPropertyTest'].each { name ->
    def hit = perClass.find { k, v -> k.contains(name) }
    assert hit != null && hit.value > 0 : "no test of ${name} ran"
}

// The jqwik arbitraries live in the "jqwik" classified jar only: not in the main jar, not in the CLI jar, and that jar
// holds nothing but the classes of src/jqwik/java (no test of nmf-oracle's own).
def entries = { File f -> new ZipFile(f).withCloseable { z -> z.entries().collect { it.name } } }
def versions = new File(localRepositoryPath, 'io/github/nmforacle/nmf-oracle').listFiles().findAll { it.isDirectory() }
assert versions.size() == 1 : "expected one installed version of nmf-oracle, found ${versions}"
def dir = versions[0], version = dir.name
def mainJar = new File(dir, "nmf-oracle-${version}.jar"), jqwikJar = new File(dir, "nmf-oracle-${version}-jqwik.jar")
assert mainJar.isFile() && jqwikJar.isFile() : "missing ${mainJar} or ${jqwikJar}"
def cliJar = new File(basedir, '../../nmf-oracle.jar')
assert cliJar.isFile() : "no CLI jar at ${cliJar}"
[mainJar, cliJar].each { jar ->
    def leaked = entries(jar).findAll { it.startsWith('io/github/nmforacle/testkit/jqwik/') || it.startsWith('net/jqwik/') }
    assert leaked.isEmpty() : "${jar.name} holds jqwik classes: ${leaked.take(5)}"
}
def root = new File(basedir, '../../..').canonicalFile
def sources = new File(root, 'src/jqwik/java/io/github/nmforacle/testkit/jqwik').list().findAll { it.endsWith('.java') }
        .collect { it - '.java' } as Set
assert !sources.isEmpty()
def classes = entries(jqwikJar).findAll { it.endsWith('.class') }
assert classes.every { it.startsWith('io/github/nmforacle/testkit/jqwik/') } : "stray classes in the jqwik jar: ${classes}"
def topLevel = classes.collect { (it - 'io/github/nmforacle/testkit/jqwik/' - '.class').split('\\$')[0] } as Set
assert topLevel == sources : "the jqwik jar's classes ${topLevel} are not those of src/jqwik/java ${sources}"
println "consumer IT: ${jqwikJar.name} holds ${classes.size()} classes of ${sources.sort()}; main and CLI jars hold none"

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
def runs = (log =~ /Tests run: (\d+), Failures: 0, Errors: 0/).collect { it[1] as int }
assert runs && runs.max() > 0 : "build.log has no 'Tests run:' line with a non-zero count"
return true
