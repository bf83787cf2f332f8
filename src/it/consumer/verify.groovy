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
['CertifyThroughPublicApiTest', 'ToySolverPropertyTest', 'NativeBlasTest'].each { name ->
    def hit = perClass.find { k, v -> k.contains(name) }
    assert hit != null && hit.value > 0 : "no test of ${name} ran"
}

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
def runs = (log =~ /Tests run: (\d+), Failures: 0, Errors: 0/).collect { it[1] as int }
assert runs && runs.max() > 0 : "build.log has no 'Tests run:' line with a non-zero count"
return true
