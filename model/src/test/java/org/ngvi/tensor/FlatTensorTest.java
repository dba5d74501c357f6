package org.ngvi.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class FlatTensorTest {
    private final ParamLayout layout = new ParamLayout(List.of(
            new ParamSpec("0.weight", new long[] {3, 2}), new ParamSpec("0.bias", new long[] {3})));

    @Test
    void viewsShareStorageWithTheFlatVector() {
        FlatTensor t = FlatTensor.zeros(layout, DataType.DOUBLE);
        t.view("0.weight").putScalar(new long[] {2, 1}, 5.0);
        t.view("0.bias").putScalar(1, 7.0);
        assertEquals(5.0, t.flat().getDouble(5));
        assertEquals(7.0, t.flat().getDouble(7));
        t.flat().putScalar(6, 3.0);
        assertEquals(3.0, t.view(1).getDouble(0));
        assertArrayEquals(new long[] {3, 2}, t.view(0).shape());
    }

    @Test
    void copyIsIndependent() {
        FlatTensor t = FlatTensor.zeros(layout, DataType.FLOAT);
        FlatTensor c = t.copy();
        c.flat().addi(1);
        assertEquals(0.0, t.flat().sumNumber().doubleValue());
        assertEquals(9.0, c.view("0.bias").sumNumber().doubleValue() + c.view(0).sumNumber().doubleValue());
    }

    @Test
    void unknownNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.indexOf("1.weight"));
        assertEquals(true, e.getMessage().contains("1.weight"));
    }
}
